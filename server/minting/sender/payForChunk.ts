import type { TransactionFees } from "../../chain/fees/feePolicy.js";
import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

import { chargeGasBudget } from "../../chain/fees/chargeGasBudget.js";
import { maxFeePerGasOf } from "../../chain/fees/feePolicy.js";
import { quoteFees } from "../../chain/fees/quoteFees.js";
import { VermilionError, isVermilionError } from "../../errors/VermilionError.js";
import { fundSender } from "./fundSender.js";
import { retrying } from "./retrying.js";

export interface PayForChunkParameters {
  chunk: ChunkRow;
  /** The gas limit the chunk is signed with. */
  gas: bigint;
  /** The policy's fees (`quoteChunkFees`, asked beside the gas estimate), or why the job must wait. */
  quoted: TransactionFees | VermilionError;
  /**
   * How many transactions of this size the key's balance must cover (this one and its chunks in
   * flight, default 1); only this one is charged to the hourly budget.
   */
  transactionsToFund?: number;
}

/** The policy's fees now, or FEE_CAP_BELOW_MARKET as a value (the job waits on it); RPC faults are retried. */
export function quoteChunkFees(deps: SenderDeps): Promise<TransactionFees | VermilionError> {
  return retrying(deps, "quoteFees", () =>
    quoteFees(deps.chain, deps.chain.fees.policy).catch((error: unknown) => {
      if (isVermilionError(error, "FEE_CAP_BELOW_MARKET")) return error;
      throw error;
    }),
  );
}

/** The fees to sign with, or what the job must wait on first. */
export type PayForChunkReturnType = { fees: TransactionFees } | { waiting: VermilionError };

/**
 * Prices a chunk's first transaction by the deployment's fee policy and makes sure it can be paid:
 * 1. fees quoted within the caps, or the job waits on FEE_CAP_BELOW_MARKET (the market is above the cap);
 * 2. the issuer's key topped up for gas × max fee, or the job waits on the gas funder's reason;
 * 3. gas × max fee charged to the hourly budget, or the job waits on GAS_BUDGET_HOUR_SPENT.
 * Transient RPC faults are retried; anything else is thrown.
 */
export async function payForChunk(deps: SenderDeps, parameters: PayForChunkParameters): Promise<PayForChunkReturnType> {
  const { chunk, gas, quoted } = parameters;
  if (quoted instanceof VermilionError) return { waiting: quoted };
  const neededWei = gas * maxFeePerGasOf(quoted);
  const unpaid = await fundSender(deps, { issuerId: chunk.issuer_id, neededWei: neededWei * BigInt(parameters.transactionsToFund ?? 1) });
  if (unpaid) return { waiting: unpaid };
  try {
    await chargeGasBudget(deps.chain.fees, { amountWei: neededWei });
  } catch (error) {
    if (isVermilionError(error, "GAS_BUDGET_HOUR_SPENT")) return { waiting: error };
    throw error;
  }
  return { fees: quoted };
}
