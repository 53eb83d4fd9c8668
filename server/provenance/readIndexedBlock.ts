import type { IndexedBlockView } from "../views/indexedBlockView.js";
import type { ProvenanceDeps } from "./ProvenanceDeps.js";

export type ReadIndexedBlockReturnType = IndexedBlockView | null;

/** The checkpoint's columns as `indexedBlockLateral` names them, for reads that fold it into their own query. */
export interface IndexedBlockRow {
  checkpoint_block_number: bigint | null;
  checkpoint_block_hash: string | null;
  checkpoint_block_timestamp: bigint | null;
  checkpoint_finalized_block: bigint | null;
  checkpoint_halted_code: string | null;
}

/**
 * `LEFT JOIN LATERAL` of the chain's newest checkpoint (chain id as `$1`), so a read answers with its
 * rows and the indexed block it saw in one round trip; select `indexedBlockColumns` from it.
 */
export const indexedBlockLateral = `LEFT JOIN LATERAL (
    SELECT block_number, block_hash, block_timestamp, COALESCE(final_block, finalized_block) AS finalized_block, halted_code FROM indexer_checkpoints
    WHERE chain_id = $1 ORDER BY block_number DESC LIMIT 1
  ) checkpoint ON true`;

export const indexedBlockColumns = `checkpoint.block_number AS checkpoint_block_number, checkpoint.block_hash AS checkpoint_block_hash,
  checkpoint.block_timestamp AS checkpoint_block_timestamp, checkpoint.finalized_block AS checkpoint_finalized_block,
  checkpoint.halted_code AS checkpoint_halted_code`;

export function toIndexedBlock(row: IndexedBlockRow): ReadIndexedBlockReturnType {
  if (row.checkpoint_block_number === null || row.checkpoint_finalized_block === null) return null;
  return {
    number: Number(row.checkpoint_block_number),
    hash: row.checkpoint_block_hash!,
    timestamp: Number(row.checkpoint_block_timestamp),
    finalizedBlock: Number(row.checkpoint_finalized_block < row.checkpoint_block_number ? row.checkpoint_finalized_block : row.checkpoint_block_number),
    haltedCode: row.checkpoint_halted_code,
  };
}

/** The checkpoint of the chain's index, or null before anything was indexed. */
export async function readIndexedBlock(deps: ProvenanceDeps): Promise<ReadIndexedBlockReturnType> {
  const { rows } = await deps.db.query<IndexedBlockRow>(`SELECT ${indexedBlockColumns} FROM (SELECT 1) one ${indexedBlockLateral}`, [deps.chainId]);
  return rows[0] ? toIndexedBlock(rows[0]) : null;
}
