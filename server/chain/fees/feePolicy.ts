import type { Queryable } from "../../db/Database.js";

/**
 * How the deployment prices its transactions (FEE_MODE):
 * - auto: EIP-1559 when the chain's latest block has a base fee, legacy otherwise (decided at start);
 * - eip1559: type-2 transactions (max fee and priority fee);
 * - legacy: type-0 transactions (one gas price), also accepted by chains that have EIP-1559;
 * - zero: permissioned chains whose gas price is 0: legacy transactions priced at 0, so no key needs funds.
 */
export type FeeMode = "auto" | "eip1559" | "legacy" | "zero";

/** A mode decided against the chain: what `auto` became at start. */
export type ResolvedFeeMode = Exclude<FeeMode, "auto">;

/** The deployment's fee settings, validated (server/config/loadConfig.ts). Plain data. */
export interface FeePolicy {
  mode: FeeMode;
  /** MAX_FEE_PER_GAS_GWEI in wei: caps an EIP-1559 max fee, or a legacy gas price; undefined: no cap. */
  maxFeePerGasWei: bigint | undefined;
  /** MAX_PRIORITY_FEE_PER_GAS_GWEI in wei: caps an EIP-1559 priority fee; undefined: no cap. */
  maxPriorityFeePerGasWei: bigint | undefined;
  /** GAS_BUDGET_PER_HOUR_ETH in wei: what all of the deployment's transactions may commit per clock hour (UTC). */
  budgetPerHourWei: bigint | undefined;
}

/** No caps, no budget, the type the chain suggests: what a client made without settings (tests, scripts) uses. */
export const DEFAULT_FEE_POLICY: FeePolicy = {
  mode: "auto",
  maxFeePerGasWei: undefined,
  maxPriorityFeePerGasWei: undefined,
  budgetPerHourWei: undefined,
};

/** The fee fields a transaction is signed with, in viem's spelling (spread them into a request). */
export type TransactionFees =
  | { type: "eip1559"; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
  | { type: "legacy"; gasPrice: bigint };

/** The transaction type the platform signs: what `chain_transactions.tx_type` stores. */
export type TransactionType = TransactionFees["type"];

/** The most a transaction may pay per unit of gas: its max fee, or its gas price. */
export function maxFeePerGasOf(fees: TransactionFees): bigint {
  return fees.type === "eip1559" ? fees.maxFeePerGas : fees.gasPrice;
}

/** How a deployment pays on its chain: the policy, and where the hourly budget is kept (none without a budget or a database). */
export interface ChainFees {
  policy: FeePolicy;
  budget: { db: Queryable; chainId: number } | undefined;
}
