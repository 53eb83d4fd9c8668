import type { Queryable } from "../../db/Database.js";

export interface Checkpoint {
  blockNumber: bigint;
  blockHash: string;
  blockTimestamp: bigint;
  finalizedBlock: bigint;
  reorgWindow: bigint;
  haltedCode: string | null;
}

/** Where indexing of `factoryAddress` on `chainId` stands, or null before the first committed range. */
export async function readCheckpoint(db: Queryable, chainId: bigint, factoryAddress: string): Promise<Checkpoint | null> {
  const { rows } = await db.query<{
    block_number: bigint;
    block_hash: string;
    block_timestamp: bigint;
    finalized_block: bigint;
    reorg_window: bigint;
    halted_code: string | null;
  }>(
    `SELECT block_number, block_hash, block_timestamp, finalized_block, reorg_window, halted_code
     FROM indexer_checkpoints WHERE chain_id = $1 AND factory_address = $2`,
    [chainId, factoryAddress],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    blockNumber: row.block_number,
    blockHash: row.block_hash,
    blockTimestamp: row.block_timestamp,
    finalizedBlock: row.finalized_block,
    reorgWindow: row.reorg_window,
    haltedCode: row.halted_code,
  };
}
