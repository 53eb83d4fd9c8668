import type { Hex } from "viem";

import { hexToBytes } from "viem";
import { describe, expect, test } from "vitest";

import { contractBuilds, CONTRACT_BUILD_NAMES } from "../../server/chain/abis/contractBuilds.js";
import { BUILD_PROBES } from "../../server/deployment/chooseContractBuild.js";
import { compileDeployedContracts, DEPLOYED_CONTRACTS, olderEvmSolcInput, readPragueSolcInput, replaceMcopy } from "../../scripts/buildOlderEvmContracts.js";

/** Opcodes added after Istanbul, by the fork that added them. */
const NEWER_THAN_ISTANBUL: Record<number, string> = {
  0x48: "BASEFEE (London)",
  0x5f: "PUSH0 (Shanghai)",
  0x5e: "MCOPY (Cancun)",
  0x5c: "TLOAD (Cancun)",
  0x5d: "TSTORE (Cancun)",
  0x49: "BLOBHASH (Cancun)",
  0x4a: "BLOBBASEFEE (Cancun)",
};
/** Opcodes Istanbul added (before it a chain has no CHAINID, which EIP-712 needs). */
const ISTANBUL: Record<number, string> = { 0x46: "CHAINID (Istanbul)", 0x47: "SELFBALANCE (Istanbul)" };

/**
 * The opcodes `code` may execute: PUSH data skipped, and for compiled code the CBOR metadata at the end
 * (its length in the last two bytes) too, which is data, not code.
 */
function opcodesOf(code: Hex, options: { compiled: boolean } = { compiled: true }): Set<number> {
  const bytes = hexToBytes(code);
  const metadataLength = options.compiled ? (bytes[bytes.length - 2]! << 8) + bytes[bytes.length - 1]! + 2 : 0;
  const end = bytes.length - metadataLength;
  const opcodes = new Set<number>();
  for (let offset = 0; offset < end; offset += 1) {
    const opcode = bytes[offset]!;
    opcodes.add(opcode);
    if (opcode >= 0x60 && opcode <= 0x7f) offset += opcode - 0x5f;
  }
  return opcodes;
}

function namesOf(opcodes: Set<number>, table: Record<number, string>): string[] {
  return [...opcodes].filter((opcode) => table[opcode] !== undefined).map((opcode) => table[opcode]!).sort();
}

describe("published builds of the contracts", () => {
  test("the istanbul build's code uses no opcode newer than Istanbul; the prague build's uses PUSH0 and MCOPY", () => {
    for (const contract of DEPLOYED_CONTRACTS) {
      expect(namesOf(opcodesOf(contractBuilds.istanbul[contract.name].deployedBytecode), NEWER_THAN_ISTANBUL), contract.name).toEqual([]);
    }
    expect(namesOf(opcodesOf(contractBuilds.prague.VermilionCollection.deployedBytecode), NEWER_THAN_ISTANBUL)).toEqual(["MCOPY (Cancun)", "PUSH0 (Shanghai)"]);
  });

  test("each build's probe executes every opcode newer than Istanbul (and from Istanbul) its code uses, so a chain that runs the probe runs the build", () => {
    const table = { ...NEWER_THAN_ISTANBUL, ...ISTANBUL };
    for (const build of CONTRACT_BUILD_NAMES) {
      const probed = new Set(namesOf(opcodesOf(BUILD_PROBES[build], { compiled: false }), table));
      for (const contract of DEPLOYED_CONTRACTS) {
        const used = namesOf(opcodesOf(contractBuilds[build][contract.name].deployedBytecode), table);
        expect(used.filter((name) => !probed.has(name)), `${build} ${contract.name}`).toEqual([]);
      }
    }
  });

  test("replacing MCOPY in OpenZeppelin's Bytes.sol changes no deployed code: compiled for prague with and without it, the code is the same", { timeout: 180_000 }, async () => {
    const withoutMetadata = (input: Awaited<ReturnType<typeof readPragueSolcInput>>) => ({
      ...input,
      settings: { ...input.settings, metadata: { appendCBOR: false }, outputSelection: { "*": { "*": ["evm.deployedBytecode.object"] } } },
    });
    const original = compileDeployedContracts(withoutMetadata(await readPragueSolcInput())).output;
    const replaced = compileDeployedContracts(withoutMetadata(await olderEvmSolcInput("prague"))).output;
    for (const contract of DEPLOYED_CONTRACTS) {
      const code = (output: typeof original) => output.contracts?.[`project/${contract.source}`]?.[contract.name]?.evm.deployedBytecode.object;
      expect(code(original)?.length, contract.name).toBeGreaterThan(1_000);
      expect(code(replaced), contract.name).toBe(code(original));
    }
  });

  test("the MCOPY replacement refuses a Bytes.sol that does not have exactly the four copies it was written for", () => {
    expect(() => replaceMcopy('assembly ("memory-safe") {\n mcopy(a, b, c)\n}')).toThrow(/expected 4 mcopy calls/);
  });
});
