import type { Hex } from "viem";
import type { TransactionFees } from "../../chain/fees/feePolicy.js";
import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

import { keccak256 } from "viem";

import { VermilionError } from "../../errors/VermilionError.js";

export interface SignAndStoreAttemptParameters {
  chunk: ChunkRow;
  /** The chunk's contract call, encoded (`chunkCallData`). */
  callData: Hex;
  nonce: bigint;
  gas: bigint;
  /** Type and fees (`quoteFees`, or `bumpFees` for a replacement): stored with the attempt. */
  fees: TransactionFees;
}

/**
 * Signs the chunk's transaction with the sender's key and the nonce given and stores the signed bytes before anything is
 * broadcast: the chunk becomes 'sent' and its job 'sending' in the same transaction. Run under the
 * write lock. LEASE_LOST if this instance no longer holds the sender's lease.
 */
export async function signAndStoreAttempt(
  deps: Pick<SenderDeps, "db" | "wallet" | "sender" | "chainId" | "lease" | "fault">,
  parameters: SignAndStoreAttemptParameters,
): Promise<Hex> {
  const { db, wallet, lease } = deps;
  const { chunk, nonce, fees } = parameters;
  // A sender that lost its lease stops before signing: the new holder may be choosing this nonce.
  if (lease && !lease.isHeld()) {
    throw new VermilionError("LEASE_LOST", { lease: lease.name, epoch: String(lease.epoch() ?? "none") });
  }
  const raw = await wallet.signTransaction({
    account: wallet.account,
    chain: wallet.chain,
    to: chunk.collection_address,
    data: parameters.callData,
    nonce: Number(nonce),
    gas: parameters.gas,
    ...fees,
  } as never);
  // A legacy transaction's one gas price is both its max fee and its priority fee.
  const maxFeePerGas = fees.type === "eip1559" ? fees.maxFeePerGas : fees.gasPrice;
  const maxPriorityFeePerGas = fees.type === "eip1559" ? fees.maxPriorityFeePerGas : fees.gasPrice;
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO chain_transactions (tx_hash, chain_id, sender, nonce, job_id, chunk_index, raw_transaction, max_fee_per_gas, max_priority_fee_per_gas, tx_type, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'signed')`,
      [keccak256(raw), deps.chainId, deps.sender, nonce, chunk.job_id, chunk.chunk_index, raw, maxFeePerGas.toString(), maxPriorityFeePerGas.toString(), fees.type],
    );
    await tx.query("UPDATE mint_chunks SET state = 'sent' WHERE job_id = $1 AND chunk_index = $2", [chunk.job_id, chunk.chunk_index]);
    // Whatever the job waited on has passed: it is on its way.
    await tx.query(
      `UPDATE mint_jobs SET state = 'sending', waiting_code = NULL, waiting_details = NULL, waiting_since = NULL, updated_at = now()
       WHERE job_id = $1 AND state IN ('queued', 'sending')`,
      [chunk.job_id],
    );
  });
  deps.fault("after-sign");
  return raw;
}
