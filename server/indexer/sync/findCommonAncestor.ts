import type { RpcClient } from "./withRpcRetry.js";
import type { Queryable } from "../../db/Database.js";
import type { IndexedBlock } from "../types.js";

import { fetchBlock } from "./fetchBlock.js";

export interface FindCommonAncestorParameters {
  publicClient: RpcClient;
  chainId: bigint;
  /** The last indexed block: the walk starts here. */
  fromBlock: bigint;
  /** Blocks below this one are final: the walk stops at it. */
  finalizedBlock: bigint;
  /** The chain's head now (a rolled-back chain may end below `fromBlock`). */
  headBlock: bigint;
}

/**
 * Walks back from the last indexed block through the kept block hashes, newest first, and returns the
 * newest one the chain still has (a shared block means a shared history below it), or null when none at
 * or above the finalized block matches: the reorg is deeper than the window.
 */
export async function findCommonAncestor(
  db: Queryable,
  parameters: FindCommonAncestorParameters,
): Promise<IndexedBlock | null> {
  const { rows } = await db.query<{ block_number: bigint; block_hash: string; parent_hash: string; block_timestamp: bigint }>(
    `SELECT block_number, block_hash, parent_hash, block_timestamp FROM indexer_blocks
     WHERE chain_id = $1 AND block_number <= $2 AND block_number >= $3 ORDER BY block_number DESC`,
    [parameters.chainId, parameters.fromBlock, parameters.finalizedBlock],
  );
  for (const row of rows) {
    if (row.block_number > parameters.headBlock) continue;
    const onChain = await fetchBlock(parameters.publicClient, row.block_number);
    if (onChain?.hash === row.block_hash) {
      return { number: row.block_number, hash: row.block_hash, parentHash: row.parent_hash, timestamp: row.block_timestamp };
    }
  }
  return null;
}
