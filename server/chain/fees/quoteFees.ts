import type { Chain, PublicClient, Transport } from "viem";
import type { TransactionFees } from "./feePolicy.js";
import type { FeePolicy } from "../../config/feePolicySettings.js";

import { VermilionError } from "../../errors/VermilionError.js";

export interface QuoteFeesDeps {
  publicClient: Pick<PublicClient<Transport, Chain>, "getBlock" | "getGasPrice" | "estimateMaxPriorityFeePerGas">;
}

export type QuoteFeesReturnType = TransactionFees;

/** Headroom over the latest base fee or gas price, as viem's own estimate (a base fee can rise 12.5% a block). */
const HEADROOM_PERCENT = 120n;

function capped(value: bigint, cap: bigint | undefined): bigint {
  return cap !== undefined && value > cap ? cap : value;
}

/**
 * The fees to sign a transaction with now, within the policy's caps:
 * 1. zero: a legacy transaction at gas price 0;
 * 2. eip1559: max fee = base fee × 1.2 + priority fee, each lowered to its cap (the priority fee never above the max fee);
 * 3. legacy: gas price = the node's gas price × 1.2, lowered to the cap;
 * 4. auto (a policy not resolved at start): eip1559 when the latest block has a base fee, else legacy.
 * Throws FEE_CAP_BELOW_MARKET when the cap is below what the chain asks now (the latest base fee, or the
 * node's gas price): such a transaction would not be mined, so nothing is signed.
 */
export async function quoteFees(deps: QuoteFeesDeps, policy: FeePolicy): Promise<QuoteFeesReturnType> {
  const { publicClient } = deps;
  if (policy.mode === "zero") return { type: "legacy", gasPrice: 0n };
  let mode = policy.mode;
  let baseFeePerGas: bigint | null | undefined;
  if (mode !== "legacy") {
    baseFeePerGas = (await publicClient.getBlock({ blockTag: "latest" })).baseFeePerGas;
    if (mode === "auto") mode = typeof baseFeePerGas === "bigint" ? "eip1559" : "legacy";
  }
  const cap = policy.maxFeePerGasWei;
  if (mode === "legacy") {
    const market = await publicClient.getGasPrice();
    if (cap !== undefined && cap < market) {
      throw new VermilionError("FEE_CAP_BELOW_MARKET", { fee: "gasPrice", marketWei: market.toString(), capWei: cap.toString(), variable: "MAX_FEE_PER_GAS_GWEI" });
    }
    return { type: "legacy", gasPrice: capped((market * HEADROOM_PERCENT) / 100n, cap) };
  }
  if (typeof baseFeePerGas !== "bigint") {
    // Only reachable with FEE_MODE=eip1559, which start-up refuses on such a chain; a chain that changed underneath is a fault.
    throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: new Error("the latest block has no base fee: the chain does not price EIP-1559 transactions") });
  }
  if (cap !== undefined && cap < baseFeePerGas) {
    throw new VermilionError("FEE_CAP_BELOW_MARKET", { fee: "maxFeePerGas", marketWei: baseFeePerGas.toString(), capWei: cap.toString(), variable: "MAX_FEE_PER_GAS_GWEI" });
  }
  const marketPriority = await publicClient.estimateMaxPriorityFeePerGas();
  const priorityFee = capped(marketPriority, policy.maxPriorityFeePerGasWei);
  const maxFeePerGas = capped((baseFeePerGas * HEADROOM_PERCENT) / 100n + priorityFee, cap);
  return { type: "eip1559", maxFeePerGas, maxPriorityFeePerGas: priorityFee > maxFeePerGas ? maxFeePerGas : priorityFee };
}
