import type { IndexedBlockView } from "../views/indexedBlockView.js";
import type { ProvenanceDeps } from "./ProvenanceDeps.js";

export type ReadIndexedBlockReturnType = IndexedBlockView | null;

/** The checkpoint of the chain's index, or null before anything was indexed. */
export async function readIndexedBlock(deps: ProvenanceDeps): Promise<ReadIndexedBlockReturnType> {
  const { rows } = await deps.db.query<{
    block_number: bigint;
    block_hash: string;
    block_timestamp: bigint;
    finalized_block: bigint;
    halted_code: string | null;
  }>(
    `SELECT block_number, block_hash, block_timestamp, finalized_block, halted_code FROM indexer_checkpoints
     WHERE chain_id = $1 ORDER BY block_number DESC LIMIT 1`,
    [deps.chainId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    number: Number(row.block_number),
    hash: row.block_hash,
    timestamp: Number(row.block_timestamp),
    finalizedBlock: Number(row.finalized_block < row.block_number ? row.finalized_block : row.block_number),
    haltedCode: row.halted_code,
  };
}
