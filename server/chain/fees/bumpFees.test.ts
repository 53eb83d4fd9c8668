import type { FeePolicy } from "../../config/feePolicySettings.js";

import { parseGwei } from "viem";
import { describe, expect, test } from "vitest";

import { bumpFees } from "./bumpFees.js";
import { DEFAULT_FEE_POLICY } from "../../config/feePolicySettings.js";

const gwei = (value: string) => parseGwei(value);
const policy = (overrides: Partial<FeePolicy>): FeePolicy => ({ ...DEFAULT_FEE_POLICY, mode: "eip1559", ...overrides });

describe("bumpFees", () => {
  test("raises both EIP-1559 fees by 25% when no cap is set, keeping the type", () => {
    expect(bumpFees(policy({}), { type: "eip1559", maxFeePerGas: gwei("10"), maxPriorityFeePerGas: gwei("1") })).toEqual({
      kind: "bumped",
      fees: { type: "eip1559", maxFeePerGas: gwei("12.5"), maxPriorityFeePerGas: gwei("1.25") },
    });
  });

  test("a legacy gas price is raised 25%, and lowered to MAX_FEE_PER_GAS_GWEI as long as that still clears the node's 10%", () => {
    const legacy = policy({ mode: "legacy", maxFeePerGasWei: gwei("11.5") });
    expect(bumpFees(legacy, { type: "legacy", gasPrice: gwei("10") })).toEqual({ kind: "bumped", fees: { type: "legacy", gasPrice: gwei("11.5") } });
  });

  test("a cap that leaves less than the node's 10% replacement rule gives no replacement, with what it would need", () => {
    expect(bumpFees(policy({ maxFeePerGasWei: gwei("10.9") }), { type: "eip1559", maxFeePerGas: gwei("10"), maxPriorityFeePerGas: gwei("1") })).toEqual({
      kind: "capped",
      neededWei: gwei("11"),
      capWei: gwei("10.9"),
    });
    expect(bumpFees(policy({ mode: "legacy", maxFeePerGasWei: gwei("10") }), { type: "legacy", gasPrice: gwei("10") })).toEqual({
      kind: "capped",
      neededWei: gwei("11"),
      capWei: gwei("10"),
    });
  });

  test("a priority-fee cap that stops the tip from rising 10% gives no replacement either", () => {
    expect(
      bumpFees(policy({ maxFeePerGasWei: gwei("100"), maxPriorityFeePerGasWei: gwei("1") }), { type: "eip1559", maxFeePerGas: gwei("10"), maxPriorityFeePerGas: gwei("1") }),
    ).toEqual({ kind: "capped", neededWei: gwei("1.1"), capWei: gwei("1") });
  });

  test("rounds up, so even a 1-wei fee is raised to one the node accepts", () => {
    expect(bumpFees(policy({}), { type: "legacy", gasPrice: 1n })).toEqual({ kind: "bumped", fees: { type: "legacy", gasPrice: 2n } });
  });

  test("zero-fee chains are never bumped", () => {
    expect(bumpFees(policy({ mode: "zero" }), { type: "legacy", gasPrice: 0n })).toEqual({ kind: "zero" });
  });
});
