import type { Chain, PublicClient, Transport } from "viem";
import type { FeePolicy, ResolvedFeeMode } from "../../config/feePolicySettings.js";

import { ConfigError } from "../../config/loadConfig.js";

export interface ResolveFeeModeDeps {
  publicClient: Pick<PublicClient<Transport, Chain>, "getBlock">;
}

export type ResolveFeeModeReturnType = FeePolicy & { mode: ResolvedFeeMode };

/**
 * Decides FEE_MODE=auto against the chain (EIP-1559 when its latest block has a base fee, else legacy)
 * and refuses, naming the variable, a policy the chain contradicts:
 * 1. eip1559 on a chain whose blocks have no base fee (a pre-London EVM);
 * 2. zero on a chain whose base fee is above 0 (a transaction at gas price 0 would never be mined);
 * 3. MAX_PRIORITY_FEE_PER_GAS_GWEI on a chain auto-detected as legacy (there is no priority fee to cap).
 */
export async function resolveFeeMode(deps: ResolveFeeModeDeps, policy: FeePolicy): Promise<ResolveFeeModeReturnType> {
  const block = await deps.publicClient.getBlock({ blockTag: "latest" });
  const baseFeePerGas = block.baseFeePerGas;
  const hasBaseFee = typeof baseFeePerGas === "bigint";
  if (policy.mode === "eip1559" && !hasBaseFee) {
    throw new ConfigError([{ field: "FEE_MODE", message: "is eip1559, but the chain's blocks have no base fee (no EIP-1559): set FEE_MODE=legacy or auto" }]);
  }
  if (policy.mode === "zero" && hasBaseFee && baseFeePerGas > 0n) {
    throw new ConfigError([
      { field: "FEE_MODE", message: `is zero, but the chain charges a base fee of ${baseFeePerGas} wei per gas: zero-fee transactions would never be mined` },
    ]);
  }
  const mode: ResolvedFeeMode = policy.mode === "auto" ? (hasBaseFee ? "eip1559" : "legacy") : policy.mode;
  if (policy.mode === "auto" && mode === "legacy" && policy.maxPriorityFeePerGasWei !== undefined) {
    throw new ConfigError([
      { field: "MAX_PRIORITY_FEE_PER_GAS_GWEI", message: "caps an EIP-1559 priority fee, but the chain has no base fee (legacy fees): unset it, and cap the gas price with MAX_FEE_PER_GAS_GWEI" },
    ]);
  }
  return { ...policy, mode };
}
