/**
 * Builds the deployed contracts a second time for an older EVM, beside Hardhat's `prague` build: chains
 * before Shanghai have no PUSH0 and chains before Cancun no MCOPY, so the prague code cannot even be
 * deployed there. Run after `hardhat build` (npm run build does): the input is Hardhat's own solc input
 * for the prague build (same compiler, sources, remappings and optimizer settings), with two changes:
 *
 * 1. `evmVersion` is the older EVM's.
 * 2. OpenZeppelin's `utils/Bytes.sol` has its four `mcopy` calls replaced by a byte-wise Yul copy with
 *    the same (memmove) semantics: solc refuses `mcopy` in inline assembly before Cancun, and Bytes.sol
 *    comes in through EIP712 → MessageHashUtils → Strings even though no function of ours reaches the
 *    copying ones (test/contracts/olderEvmBuild.test.ts shows the replacement changes no deployed code).
 *
 * Writes artifacts-evm/<evmVersion>/{VermilionCollection,VermilionFactory}.json (Hardhat's artifact
 * fields) and solc-input.json, the complete standard-JSON input anyone can feed solc 0.8.30 to reproduce
 * the bytecode the verifier's fingerprints come from.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(import.meta.dirname, "..");

/**
 * The older EVMs we publish a build for. Istanbul is the oldest with CHAINID, which EIP-712 vouchers need;
 * its code is byte-for-byte what berlin, london and paris builds give (no opcode or cost the optimizer
 * weighs changed between them), so one build serves every chain from Istanbul to Paris.
 */
export const OLDER_EVM_VERSIONS = ["istanbul"] as const;

/** The contracts deployed from a build, by source file and contract name. */
export const DEPLOYED_CONTRACTS = [
  { source: "contracts/VermilionCollection.sol", name: "VermilionCollection" },
  { source: "contracts/VermilionFactory.sol", name: "VermilionFactory" },
] as const;

/** Where Hardhat's build-info names OpenZeppelin's Bytes.sol (any installed version). */
const BYTES_SOURCE = /^npm\/@openzeppelin\/contracts@[^/]+\/utils\/Bytes\.sol$/;
const MCOPY_CALLS_IN_BYTES = 4;

/** A memmove in Yul: forwards when the target is below the source, backwards otherwise, as MCOPY behaves. */
const LEGACY_MCOPY = `function legacyMcopy(mcopyTarget, mcopySource, mcopyLength) {
                switch gt(mcopyTarget, mcopySource)
                case 0 {
                    for { let mcopyIndex := 0 } lt(mcopyIndex, mcopyLength) { mcopyIndex := add(mcopyIndex, 1) } {
                        mstore8(add(mcopyTarget, mcopyIndex), byte(0, mload(add(mcopySource, mcopyIndex))))
                    }
                }
                default {
                    for { let mcopyIndex := mcopyLength } gt(mcopyIndex, 0) {} {
                        mcopyIndex := sub(mcopyIndex, 1)
                        mstore8(add(mcopyTarget, mcopyIndex), byte(0, mload(add(mcopySource, mcopyIndex))))
                    }
                }
            }
            `;

/** OpenZeppelin's Bytes.sol with every `mcopy(…)` going through `legacyMcopy`, defined in each assembly block that uses it. */
export function replaceMcopy(source: string): string {
  let replaced = 0;
  const result = source.replace(/assembly \("memory-safe"\) \{([^{}]*)\}/g, (block, body: string) => {
    if (!body.includes("mcopy(")) return block;
    replaced += body.split("mcopy(").length - 1;
    return `assembly ("memory-safe") {\n            ${LEGACY_MCOPY}${body.trimStart().replaceAll("mcopy(", "legacyMcopy(")}}`;
  });
  // An OpenZeppelin upgrade that moves or adds an mcopy must be looked at, not silently half-replaced.
  if (replaced !== MCOPY_CALLS_IN_BYTES || result.includes(" mcopy(")) {
    throw new Error(`expected ${MCOPY_CALLS_IN_BYTES} mcopy calls in OpenZeppelin's Bytes.sol, replaced ${replaced}: review scripts/buildOlderEvmContracts.ts`);
  }
  return result;
}

export interface SolcInput {
  language: "Solidity";
  sources: Record<string, { content: string }>;
  settings: Record<string, unknown> & { evmVersion?: string; outputSelection?: unknown };
}

export interface SolcOutput {
  errors?: Array<{ severity: string; formattedMessage: string }>;
  sources?: Record<string, unknown>;
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string; linkReferences: unknown }; deployedBytecode: { object: string; linkReferences: unknown; immutableReferences?: unknown } } }>>;
}

/** Hardhat's solc input for the prague build of `contracts/VermilionCollection.sol` (both contracts share one). */
export async function readPragueSolcInput(): Promise<SolcInput> {
  const buildInfoIds = new Set<string>();
  for (const contract of DEPLOYED_CONTRACTS) {
    const artifact = JSON.parse(await readFile(path.join(root, "artifacts", contract.source, `${contract.name}.json`), "utf8")) as { buildInfoId: string };
    buildInfoIds.add(artifact.buildInfoId);
  }
  if (buildInfoIds.size !== 1) throw new Error(`the deployed contracts come from ${buildInfoIds.size} Hardhat builds; expected one`);
  const [buildInfoId] = [...buildInfoIds];
  const buildInfo = JSON.parse(await readFile(path.join(root, "artifacts", "build-info", `${buildInfoId}.json`), "utf8")) as { input: SolcInput; solcVersion: string };
  return buildInfo.input;
}

/** Hardhat's prague input with `evmVersion` set and Bytes.sol's mcopy replaced (compileDeployedContracts picks what the contracts import). */
export async function olderEvmSolcInput(evmVersion: string): Promise<SolcInput> {
  const prague = await readPragueSolcInput();
  const sources = Object.fromEntries(
    Object.entries(prague.sources).map(([name, { content }]) => [name, { content: BYTES_SOURCE.test(name) ? replaceMcopy(content) : content }]),
  );
  return {
    language: "Solidity",
    sources,
    settings: { ...prague.settings, evmVersion },
  };
}

/**
 * Compiles the deployed contracts from `full` (a solc input holding every source they may import): only
 * they are roots, and the import callback hands solc each file it asks for, so `sources` comes back as
 * exactly their dependency closure, not the tests and benchmarks Hardhat built beside them.
 */
export function compileDeployedContracts(full: SolcInput): { input: SolcInput; output: SolcOutput } {
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string, options: { import(path: string): { contents: string } | { error: string } }): string };
  const roots = DEPLOYED_CONTRACTS.map((contract) => `project/${contract.source}`);
  const requested = new Set<string>(roots);
  const input: SolcInput = { ...full, sources: Object.fromEntries(roots.map((name) => [name, full.sources[name]!])) };
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import: (name) => {
        const source = full.sources[name];
        if (source === undefined) return { error: `${name} is not in Hardhat's build input` };
        requested.add(name);
        return { contents: source.content };
      },
    }),
  ) as SolcOutput;
  const errors = (output.errors ?? []).filter((error) => error.severity === "error");
  if (errors.length > 0) throw new Error(`solc (${String(full.settings.evmVersion)}):\n${errors.map((error) => error.formattedMessage).join("\n")}`);
  return { input: { ...input, sources: Object.fromEntries([...requested].sort().map((name) => [name, full.sources[name]!])) }, output };
}

/** Compiles the deployed contracts for `evmVersion` and writes their artifacts; returns the output directory. */
export async function buildOlderEvmContracts(evmVersion: string): Promise<string> {
  const solcVersion = (createRequire(import.meta.url)("solc") as { version(): string }).version();
  const { input: published, output } = compileDeployedContracts(await olderEvmSolcInput(evmVersion));

  const outputDir = path.join(root, "artifacts-evm", evmVersion);
  await mkdir(outputDir, { recursive: true });
  await writeFile(path.join(outputDir, "solc-input.json"), JSON.stringify(published, null, 2) + "\n");
  for (const contract of DEPLOYED_CONTRACTS) {
    const compiled = output.contracts?.[`project/${contract.source}`]?.[contract.name];
    if (!compiled) throw new Error(`solc produced no ${contract.name}`);
    const artifact = {
      _format: "vermilion-older-evm-artifact-1",
      contractName: contract.name,
      sourceName: contract.source,
      evmVersion,
      solcVersion,
      abi: compiled.abi,
      bytecode: `0x${compiled.evm.bytecode.object}`,
      deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
      linkReferences: compiled.evm.bytecode.linkReferences,
      deployedLinkReferences: compiled.evm.deployedBytecode.linkReferences,
      immutableReferences: compiled.evm.deployedBytecode.immutableReferences ?? {},
    };
    await writeFile(path.join(outputDir, `${contract.name}.json`), JSON.stringify(artifact, null, 2) + "\n");
  }
  return outputDir;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const evmVersion of OLDER_EVM_VERSIONS) {
    const outputDir = await buildOlderEvmContracts(evmVersion);
    console.log(`built ${evmVersion} into ${path.relative(root, outputDir)}`);
  }
}
