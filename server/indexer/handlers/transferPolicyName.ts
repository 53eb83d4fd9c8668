/** The contract's `TransferPolicy` enum by its ordinal. */
export const transferPolicyNames = ["Free", "Hold", "Soulbound"] as const;

export type TransferPolicyName = (typeof transferPolicyNames)[number];

/** The name of policy ordinal `value` (an unknown ordinal is kept visible, not guessed). */
export function transferPolicyName(value: unknown): string {
  return transferPolicyNames[Number(value)] ?? `Unknown(${String(value)})`;
}
