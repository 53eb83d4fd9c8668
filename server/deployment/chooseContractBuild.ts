import type { Hex, PublicClient } from "viem";
import type { ContractBuildName } from "../chain/abis/contractBuilds.js";

import { CONTRACT_BUILD_NAMES } from "../chain/abis/contractBuilds.js";
import { VermilionError } from "../errors/VermilionError.js";

/**
 * For each build, init code that executes the newest opcodes its code uses, then stops: the chain can run
 * the build when an `eth_call` of it (a contract creation, which every node simulates, unlike state
 * overrides) succeeds. test/contracts/olderEvmBuild.test.ts checks these lists against the builds' code.
 * - prague: CHAINID and SELFBALANCE (Istanbul), PUSH0 (Shanghai) and MCOPY (Cancun):
 *   `CHAINID POP SELFBALANCE POP PUSH0 PUSH0 PUSH0 MCOPY STOP`.
 * - istanbul: CHAINID and SELFBALANCE (Istanbul): `CHAINID POP SELFBALANCE POP STOP`.
 */
export const BUILD_PROBES: Record<ContractBuildName, Hex> = {
  prague: "0x465047505f5f5f5e00",
  istanbul: "0x4650475000",
};

/** `STOP`: runs on any EVM, so a failure of it is the endpoint's, not the EVM's. */
const CONTROL_PROBE: Hex = "0x00";

export interface ChooseContractBuildParameters {
  /** CONTRACTS_EVM_VERSION: a build name, or "auto" for the newest the chain runs. */
  configured: ContractBuildName | "auto";
}

export interface ChooseContractBuildReturnType {
  build: ContractBuildName;
  /** Whether it was configured or detected (for the start-up log line). */
  chosenBy: "configured" | "detected";
}

async function runs(publicClient: PublicClient, initCode: Hex): Promise<boolean> {
  try {
    await publicClient.call({ data: initCode });
    return true;
  } catch {
    return false;
  }
}

/** Whether the chain behind `publicClient` can run each published build, newest first. */
export async function probeContractBuilds(publicClient: PublicClient): Promise<Record<ContractBuildName, boolean>> {
  if (!(await runs(publicClient, CONTROL_PROBE))) {
    throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: new Error("eth_call of a contract creation that only stops failed") });
  }
  const entries = await Promise.all(CONTRACT_BUILD_NAMES.map(async (name) => [name, await runs(publicClient, BUILD_PROBES[name])] as const));
  return Object.fromEntries(entries) as Record<ContractBuildName, boolean>;
}

/**
 * The build a new factory is deployed from on this chain:
 * 1. configured: that build, refused (naming CONTRACTS_EVM_VERSION) when the chain cannot run it;
 * 2. "auto": the newest build the chain runs (prague where PUSH0 and MCOPY exist, istanbul before);
 * 3. a chain older than every build (before Istanbul: no CHAINID for EIP-712) is refused.
 */
export async function chooseContractBuild(publicClient: PublicClient, parameters: ChooseContractBuildParameters): Promise<ChooseContractBuildReturnType> {
  const runnable = await probeContractBuilds(publicClient);
  if (parameters.configured !== "auto") {
    if (!runnable[parameters.configured]) {
      const alternatives = CONTRACT_BUILD_NAMES.filter((name) => runnable[name]);
      throw new VermilionError("CONFIG_INVALID", {
        field: "CONTRACTS_EVM_VERSION",
        reason: `this chain cannot run the ${parameters.configured} build (its EVM lacks opcodes that code uses); ${alternatives.length > 0 ? `use ${alternatives.join(" or ")}, or auto` : "no published build runs on it"}`,
      });
    }
    return { build: parameters.configured, chosenBy: "configured" };
  }
  const newest = CONTRACT_BUILD_NAMES.find((name) => runnable[name]);
  if (newest === undefined) {
    throw new VermilionError("CONFIG_INVALID", {
      field: "CONTRACTS_EVM_VERSION",
      reason: `this chain runs none of the published builds (${CONTRACT_BUILD_NAMES.join(", ")}): its EVM is older than Istanbul`,
    });
  }
  return { build: newest, chosenBy: "detected" };
}
