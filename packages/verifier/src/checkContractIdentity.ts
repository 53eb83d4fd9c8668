import type { Address, Hex } from "viem";
import type { VerificationDeps } from "./createVerificationSession.js";
import type { CheckResult } from "./report.js";

import { decodeEventLog, encodeEventTopics, getAddress } from "viem";

import { vermilionFactoryAbi } from "./abis/VermilionFactory.js";
import { publishedBuilds } from "./abis/publishedBuilds.js";
import { cloneImplementation, maskedCodeHash } from "./codeFingerprint.js";
import { readContract } from "./readContract.js";
import { failed, passed } from "./report.js";

const NAME = "contract.identity";

/** A published build of the contracts: its name (the EVM version it targets) and its code fingerprints. */
export type PublishedBuild = (typeof publishedBuilds)[number];

/**
 * The published build whose factory code `factoryCode` is, or null. Each build masks its own immutable
 * ranges (they sit at different offsets in code built for different EVMs).
 */
export function identifyFactoryBuild(factoryCode: Hex): PublishedBuild | null {
  return publishedBuilds.find((build) => maskedCodeHash(factoryCode, build.factory.immutableRanges) === build.factory.codeHash) ?? null;
}

export interface CheckContractIdentityReturnType {
  check: CheckResult;
  /** The block the factory created the collection in: where its history starts. */
  creationBlock: bigint | null;
}

/**
 * Is `contract` a Vermilion collection made by the trusted factory, on the stated chain?
 * 1. The endpoint serves the stated chain id.
 * 2. The factory's code is Vermilion's factory in one of the published builds (immutables masked);
 *    the evidence names the build.
 * 3. The contract's code is an EIP-1167 clone of the factory's implementation.
 * 4. The implementation's code is Vermilion's collection of that same build (immutables masked).
 * 5. The factory says it made the contract, and its CollectionCreated event is on the chain.
 */
export async function checkContractIdentity(deps: VerificationDeps, contract: Address): Promise<CheckContractIdentityReturnType> {
  const { chain } = deps;
  const factory = getAddress(deps.factory);
  const chainId = await chain.getChainId();
  const evidence: Record<string, unknown> = { chainId, contract, factory };
  const fail = (code: string, detail: string) => ({ check: failed(NAME, code, detail, evidence), creationBlock: null });

  if (deps.expectedChainId !== undefined && deps.expectedChainId !== chainId) {
    evidence.expectedChainId = deps.expectedChainId;
    return fail("CHAIN_ID_MISMATCH", `The endpoint serves chain ${chainId}, not the stated chain ${deps.expectedChainId}.`);
  }

  const factoryCode = await chain.getCode(factory);
  if (factoryCode === "0x") return fail("FACTORY_HAS_NO_CODE", `There is no contract at the factory address ${factory}.`);
  const build = identifyFactoryBuild(factoryCode);
  if (build === null) {
    evidence.factoryCodeHash = maskedCodeHash(factoryCode, []);
    evidence.knownFactoryCodeHashes = Object.fromEntries(publishedBuilds.map((known) => [known.name, known.factory.codeHash]));
    return fail("FACTORY_CODE_MISMATCH", `The code at ${factory} is not the Vermilion factory's in any published build (${publishedBuilds.map((known) => known.name).join(", ")}).`);
  }
  evidence.build = build.name;
  evidence.evmVersion = build.evmVersion;
  evidence.factoryCodeHash = build.factory.codeHash;
  const implementationRead = await readContract(chain, { address: factory, abi: vermilionFactoryAbi, functionName: "implementation" });
  if (!implementationRead.ok) return fail("FACTORY_CODE_MISMATCH", `The factory at ${factory} does not name an implementation.`);
  const implementation = getAddress(implementationRead.value);
  evidence.implementation = implementation;

  const code = await chain.getCode(contract);
  if (code === "0x") return fail("CONTRACT_HAS_NO_CODE", `There is no contract at ${contract}.`);
  const cloneOf = cloneImplementation(code);
  evidence.codeHash = maskedCodeHash(code, []);
  if (cloneOf === null) return fail("CONTRACT_NOT_A_CLONE", `The code at ${contract} is not an EIP-1167 clone, so it is not a Vermilion collection.`);
  evidence.cloneOf = getAddress(cloneOf);
  if (getAddress(cloneOf) !== implementation) {
    return fail("CONTRACT_NOT_FROM_FACTORY", `${contract} delegates to ${getAddress(cloneOf)}, not to the factory's implementation ${implementation}.`);
  }

  const implementationCodeHash = maskedCodeHash(await chain.getCode(implementation), build.implementation.immutableRanges);
  evidence.implementationCodeHash = implementationCodeHash;
  evidence.expectedImplementationCodeHash = build.implementation.codeHash;
  if (implementationCodeHash !== build.implementation.codeHash) {
    return fail("IMPLEMENTATION_CODE_MISMATCH", `The implementation at ${implementation} is not Vermilion's collection code of the ${build.name} build.`);
  }

  const registered = await readContract(chain, { address: factory, abi: vermilionFactoryAbi, functionName: "isCollection", args: [contract] });
  const createdLogs = await chain.getLogs({
    address: factory,
    topics: encodeEventTopics({ abi: vermilionFactoryAbi, eventName: "CollectionCreated", args: { collection: contract } }) as Hex[],
    fromBlock: deps.factoryFromBlock ?? 0n,
  });
  const created = createdLogs[0];
  evidence.isCollection = registered.ok && registered.value;
  if (!registered.ok || !registered.value || !created) {
    return fail("CONTRACT_NOT_FROM_FACTORY", `The factory ${factory} has no record of creating ${contract}.`);
  }
  const receipt = await chain.getReceipt(created.transactionHash);
  if (!receipt || receipt.status !== "success") {
    return fail("CONTRACT_NOT_FROM_FACTORY", `The CollectionCreated event for ${contract} is not from a successful transaction.`);
  }
  const event = decodeEventLog({ abi: vermilionFactoryAbi, eventName: "CollectionCreated", topics: created.topics as [Hex, ...Hex[]], data: created.data });
  evidence.collectionCreated = {
    blockNumber: created.blockNumber,
    blockHash: created.blockHash,
    logIndex: created.logIndex,
    transactionHash: created.transactionHash,
    admin: event.args.admin,
    issuer: event.args.issuer,
    name: event.args.name,
    symbol: event.args.symbol,
  };
  return {
    check: passed(NAME, `${contract} is a Vermilion collection (${build.name} build) created by the factory ${factory} on chain ${chainId}.`, evidence),
    creationBlock: BigInt(created.blockNumber),
  };
}
