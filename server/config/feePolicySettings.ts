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
