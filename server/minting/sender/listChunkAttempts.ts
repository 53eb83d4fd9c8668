import type { Hex } from "viem";
import type { TransactionFees, TransactionType } from "../../chain/fees/feePolicy.js";
import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

/** A signed transaction of a chunk that may still be mined. */
export interface AttemptRow {
  tx_hash: Hex;
  nonce: bigint;
  raw_transaction: Hex;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  /** The type it was signed with: a replacement keeps it. */
  tx_type: TransactionType;
  state: "signed" | "broadcast";
}

/** The chunk's live attempts (signed or broadcast), oldest first; a replacement comes after what it replaces. */
export async function listChunkAttempts(deps: Pick<SenderDeps, "db">, chunk: ChunkRow): Promise<AttemptRow[]> {
  const { rows } = await deps.db.query<AttemptRow>(
    `SELECT tx_hash, nonce, raw_transaction, max_fee_per_gas::text, max_priority_fee_per_gas::text, tx_type, state
     FROM chain_transactions WHERE job_id = $1 AND chunk_index = $2 AND state IN ('signed', 'broadcast') ORDER BY created_at`,
    [chunk.job_id, chunk.chunk_index],
  );
  return rows;
}

/** The fees an attempt was signed with (a legacy attempt stores its gas price in both fee columns). */
export function attemptFees(attempt: Pick<AttemptRow, "tx_type" | "max_fee_per_gas" | "max_priority_fee_per_gas">): TransactionFees {
  return attempt.tx_type === "legacy"
    ? { type: "legacy", gasPrice: BigInt(attempt.max_fee_per_gas) }
    : { type: "eip1559", maxFeePerGas: BigInt(attempt.max_fee_per_gas), maxPriorityFeePerGas: BigInt(attempt.max_priority_fee_per_gas) };
}
