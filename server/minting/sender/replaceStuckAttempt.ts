import type { AttemptRow } from "./listChunkAttempts.js";
import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

import { parseTransaction } from "viem";

import { bumpFees } from "../../chain/fees/bumpFees.js";
import { chargeGasBudget } from "../../chain/fees/chargeGasBudget.js";
import { maxFeePerGasOf } from "../../chain/fees/feePolicy.js";
import { VermilionError, isVermilionError } from "../../errors/VermilionError.js";
import { markJobWaiting } from "./deferJob.js";
import { fundSender } from "./fundSender.js";
import { attemptFees } from "./listChunkAttempts.js";
import { chunkCallData } from "./sendChunk.js";
import { signAndStoreAttempt } from "./signAndStoreAttempt.js";

export interface ReplaceStuckAttemptParameters {
  chunk: ChunkRow;
  /** The chunk's latest attempt, broadcast and not mined in time. */
  latest: AttemptRow;
}

/**
 * Signs and stores a replacement of a stuck transaction: the same nonce, type and gas limit, with fees
 * 25% higher within the caps (`bumpFees`). It is broadcast by the receipt wait, like any signed attempt.
 * Nothing is replaced, and the transaction stays as it is while the wait goes on, when:
 * 1. the chain is zero-fee (a higher fee means nothing there);
 * 2. the cap leaves no bump the node would accept (10% more): the job shows FEE_BUMP_CAPPED, and one
 *    warning with `alert: "fee-cap-reached"` is logged when it begins;
 * 3. the issuer's key cannot be funded for the higher fee (its gas budget spent), or the hourly budget
 *    cannot take the difference (GAS_BUDGET_HOUR_SPENT, shown on the job).
 */
export async function replaceStuckAttempt(deps: SenderDeps, parameters: ReplaceStuckAttemptParameters): Promise<void> {
  const { chunk, latest } = parameters;
  const previous = attemptFees(latest);
  const bump = bumpFees(deps.chain.fees.policy, previous);
  if (bump.kind === "zero") return;
  if (bump.kind === "capped") {
    const reason = new VermilionError("FEE_BUMP_CAPPED", {
      txHash: latest.tx_hash,
      nonce: latest.nonce.toString(),
      paidWei: maxFeePerGasOf(previous).toString(),
      neededWei: bump.neededWei.toString(),
      capWei: bump.capWei.toString(),
    });
    await markJobWaiting(deps, { jobId: chunk.job_id, reason });
    return;
  }
  // The same call with the same gas limit: only the fees differ, so at most one of them is mined and
  // the budget is charged only for what the replacement may cost above the transaction it replaces.
  const gas = parseTransaction(latest.raw_transaction).gas ?? 1_000_000n;
  const unpaid = await fundSender(deps, { issuerId: chunk.issuer_id, neededWei: gas * maxFeePerGasOf(bump.fees) });
  if (unpaid) {
    deps.logger.warn({ jobId: chunk.job_id, code: unpaid.code }, "a stuck transaction cannot be replaced now");
    return;
  }
  try {
    await chargeGasBudget(deps.chain.fees, { amountWei: gas * (maxFeePerGasOf(bump.fees) - maxFeePerGasOf(previous)) });
  } catch (error) {
    if (!isVermilionError(error, "GAS_BUDGET_HOUR_SPENT")) throw error;
    await markJobWaiting(deps, { jobId: chunk.job_id, reason: error });
    return;
  }
  deps.logger.warn({ jobId: chunk.job_id, nonce: latest.nonce.toString(), txType: bump.fees.type }, "replacing a stuck transaction");
  await deps.writeLock(async () => {
    await signAndStoreAttempt(deps, {
      chunk,
      callData: chunkCallData(chunk),
      nonce: latest.nonce,
      gas,
      fees: bump.fees,
    });
  });
}
