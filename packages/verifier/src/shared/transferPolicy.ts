/**
 * The transfer policies of `IVermilionCollection.TransferPolicy`, the one home of their spelling. The API
 * (input and output alike) names a policy `"free" | "hold" | "soulbound"` and carries `holdSeconds` beside
 * it; on chain a policy is the enum's ordinal, which is its index here.
 */
export const TRANSFER_POLICIES = ["free", "hold", "soulbound"] as const;

export type TransferPolicy = (typeof TRANSFER_POLICIES)[number];

/** The contract's ordinal of `policy`. */
export function transferPolicyCode(policy: TransferPolicy): number {
  return TRANSFER_POLICIES.indexOf(policy);
}

/** The policy of contract ordinal `code`, or undefined for an ordinal the contract does not define. */
export function transferPolicyOfCode(code: number | bigint): TransferPolicy | undefined {
  return TRANSFER_POLICIES[Number(code)];
}
