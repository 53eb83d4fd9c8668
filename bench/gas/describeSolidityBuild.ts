import type { SolidityConfig } from "hardhat/types/config";

/**
 * The compiler settings of one Hardhat build profile in words, e.g. "solc 0.8.30 (WASM), optimizer
 * 1,000,000 runs, legacy pipeline (no viaIR), evm prague", read from the resolved config so a report
 * states the settings its contracts were really built with.
 */
export function describeSolidityBuild(solidity: SolidityConfig, profileName: string): string {
  const profile = solidity.profiles[profileName];
  if (profile === undefined) throw new Error(`no Solidity build profile named ${profileName}`);
  const compilers = profile.compilers.map((compiler) => {
    const settings = compiler.settings as { optimizer?: { enabled?: boolean; runs?: number }; viaIR?: boolean; evmVersion?: string };
    const parts = [`solc ${compiler.version}${compiler.path?.endsWith(".js") === true ? " (WASM)" : ""}`];
    parts.push(settings.optimizer?.enabled === true ? `optimizer ${(settings.optimizer.runs ?? 200).toLocaleString("en-US")} runs` : "optimizer off");
    parts.push(settings.viaIR === true ? "viaIR" : "legacy pipeline (no viaIR)");
    if (settings.evmVersion !== undefined) parts.push(`evm ${settings.evmVersion}`);
    return parts.join(", ");
  });
  const overrides = Object.keys(profile.overrides);
  const scope = overrides.length === 0 ? "one build for all contracts" : `overridden for ${overrides.join(", ")}`;
  return `${compilers.join("; ")}: ${scope}`;
}
