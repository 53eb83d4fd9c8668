/** How much gas money the platform gives issuers' keys (ISSUER_GAS_* settings; docs/issuers.md). */
export interface GasFundingSettings {
  /** What one top-up sends at least (ISSUER_GAS_TOP_UP_ETH). */
  topUpWei: bigint;
  /** What one issuer's keys may receive in total within `budgetWindowMs` (ISSUER_GAS_BUDGET_ETH). */
  budgetWei: bigint;
  budgetWindowMs: number;
}
