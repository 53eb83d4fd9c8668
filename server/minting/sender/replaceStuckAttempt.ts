import type { AttemptRow } from "./listChunkAttempts.js";
import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

import { fundSender } from "./fundSender.js";
import { chunkCallData, estimateChunkGas } from "./sendChunk.js";
import { signAndStoreAttempt } from "./signAndStoreAttempt.js";

/** Nodes refuse a replacement that pays less than 10% more (geth's default price bump); 25% clears it with room. */
const FEE_BUMP_PERCENT = 125n;

export interface ReplaceStuckAttemptParameters {
  chunk: ChunkRow;
  /** The chunk's latest attempt, broadcast and not mined in time. */
  latest: AttemptRow;
}

/**
 * Signs and stores a replacement of a stuck transaction: the same nonce with fees 25% higher. It is
 * broadcast by the receipt wait, like any signed attempt. When an issuer's key cannot be funded for the
 * higher fee (gas budget spent), nothing is replaced: the transaction stays as it is, and the wait goes on.
 */
export async function replaceStuckAttempt(deps: SenderDeps, parameters: ReplaceStuckAttemptParameters): Promise<void> {
  const { chunk, latest } = parameters;
  const maxFee = (BigInt(latest.max_fee_per_gas) * FEE_BUMP_PERCENT) / 100n;
  const priorityFee = (BigInt(latest.max_priority_fee_per_gas) * FEE_BUMP_PERCENT) / 100n;
  const gas = await estimateChunkGas(deps, chunk).catch(() => 1_000_000n);
  const unpaid = await fundSender(deps, { issuerId: chunk.issuer_id, neededWei: gas * maxFee });
  if (unpaid) {
    deps.logger.warn({ jobId: chunk.job_id, code: unpaid.code }, "a stuck transaction cannot be replaced now");
    return;
  }
  deps.logger.warn({ jobId: chunk.job_id, nonce: latest.nonce.toString() }, "replacing a stuck transaction");
  await deps.writeLock(async () => {
    await signAndStoreAttempt(deps, {
      chunk,
      callData: chunkCallData(chunk),
      nonce: latest.nonce,
      gas,
      maxFeePerGas: maxFee,
      maxPriorityFeePerGas: priorityFee,
    });
  });
}
