import type { Address } from "viem";
import type { StartAnvilReturnType } from "../support/startAnvil.js";
import type { VermilionDeployment } from "../support/deployVermilion.js";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { publishedBuilds } from "vermilion-verify/abis/publishedBuilds.js";
import { createCarContentSource } from "vermilion-verify/content/createCarContentSource.js";
import { createRpcChainReader } from "vermilion-verify/createRpcChainReader.js";
import { createVerificationSession } from "vermilion-verify/createVerificationSession.js";
import { verifyToken } from "vermilion-verify/verifyToken.js";
import { deployVermilion } from "../support/deployVermilion.js";
import { startAnvil } from "../support/startAnvil.js";

const factoryAbi = [{ type: "function", name: "implementation", inputs: [], outputs: [{ type: "address" }], stateMutability: "view" }] as const;

let anvil: StartAnvilReturnType;
let trusted: VermilionDeployment;
let rogue: VermilionDeployment;
let genuine: Address;
let impostor: Address;
let olderBuild: VermilionDeployment;
let olderCollection: Address;
let mixed: VermilionDeployment;
let mixedCollection: Address;

beforeAll(async () => {
  anvil = await startAnvil();
  // Two deployments of the very same code: only the first is the factory the auditor trusts.
  trusted = await deployVermilion(anvil.rpcUrl);
  rogue = await deployVermilion(anvil.rpcUrl);
  // The older EVM's build, and a factory of one build cloning the other's implementation.
  olderBuild = await deployVermilion(anvil.rpcUrl, { build: "istanbul" });
  mixed = await deployVermilion(anvil.rpcUrl, { build: "istanbul", implementationBuild: "prague" });
  genuine = await trusted.createCollection("Genuine");
  impostor = await rogue.createCollection("Impostor");
  olderCollection = await olderBuild.createCollection("Older EVM");
  mixedCollection = await mixed.createCollection("Mixed");
  for (const [deployment, collection] of [[trusted, genuine], [rogue, impostor]] as const) {
    const editionId = await deployment.createEdition(collection, { maxSupply: 2 });
    await deployment.mint(collection, editionId, deployment.accounts[2]!, 1);
  }
});
afterAll(async () => {
  await anvil?.stop();
});

async function identityOf(contract: Address, options: { expectedChainId?: number; factory?: Address } = {}) {
  const chain = await createRpcChainReader(createPublicClient({ transport: http(anvil.rpcUrl) }));
  const session = createVerificationSession(
    { chain, content: createCarContentSource("empty", new Map()), factory: trusted.factoryAddress, ...options },
    contract,
  );
  return verifyToken(session, 1_000_001n);
}

describe("contract.identity", () => {
  test("passes for a clone the trusted factory created, citing its CollectionCreated event", async () => {
    const report = await identityOf(genuine);
    const identity = report.checks[0]!;
    expect(identity).toMatchObject({ name: "contract.identity", status: "pass" });
    expect(identity.evidence.implementationCodeHash).toBe(identity.evidence.expectedImplementationCodeHash);
    expect(identity.evidence).toMatchObject({ build: "prague", evmVersion: "prague" });
    expect(identity.evidence.collectionCreated).toMatchObject({ blockHash: expect.stringMatching(/^0x[0-9a-f]{64}$/), logIndex: expect.any(Number) });
  });

  test("passes for a collection of the older EVM's build, naming the istanbul build and its fingerprints", async () => {
    const identity = (await identityOf(olderCollection, { factory: olderBuild.factoryAddress })).checks[0]!;
    expect(identity).toMatchObject({ name: "contract.identity", status: "pass", evidence: { build: "istanbul", evmVersion: "istanbul" } });
    const istanbul = publishedBuilds.find((build) => build.name === "istanbul")!;
    expect(identity.evidence).toMatchObject({ factoryCodeHash: istanbul.factory.codeHash, implementationCodeHash: istanbul.implementation.codeHash });
    expect(istanbul.factory.codeHash).not.toBe(publishedBuilds.find((build) => build.name === "prague")!.factory.codeHash);
  });

  test("a factory whose code is no published build fails with FACTORY_CODE_MISMATCH, listing the builds it knows", async () => {
    const notAFactory = await trusted.publicClient.readContract({ address: trusted.factoryAddress, abi: factoryAbi, functionName: "implementation" });
    const identity = (await identityOf(genuine, { factory: notAFactory })).checks[0]!;
    expect(identity.failure?.code).toBe("FACTORY_CODE_MISMATCH");
    expect(Object.keys(identity.evidence.knownFactoryCodeHashes as object)).toEqual(["prague", "istanbul"]);
  });

  test("a factory of one build over the other build's implementation fails with IMPLEMENTATION_CODE_MISMATCH", async () => {
    const identity = (await identityOf(mixedCollection, { factory: mixed.factoryAddress })).checks[0]!;
    expect(identity.failure?.code).toBe("IMPLEMENTATION_CODE_MISMATCH");
    expect(identity.evidence.build).toBe("istanbul");
  });

  test("a clone of identical code made by another factory fails with CONTRACT_NOT_FROM_FACTORY and skips the rest", async () => {
    const report = await identityOf(impostor);
    expect(report.verdict).toBe("fail");
    expect(report.checks[0]!.failure?.code).toBe("CONTRACT_NOT_FROM_FACTORY");
    expect(report.checks.slice(1).map((check) => [check.name, check.status])).toEqual(
      ["history.transfers", "metadata.content", "media.content", "edition.facts", "issuer.admin", "issuer.platformKey", "mint.operator"].map((name) => [name, "skip"]),
    );
    expect(report.issuer).toEqual({ address: null });
  });

  test("a contract that is not a clone (the implementation itself) fails with CONTRACT_NOT_A_CLONE", async () => {
    const implementation = await trusted.publicClient.readContract({ address: trusted.factoryAddress, abi: factoryAbi, functionName: "implementation" });
    expect((await identityOf(implementation)).checks[0]!.failure?.code).toBe("CONTRACT_NOT_A_CLONE");
  });

  test("an address without code fails with CONTRACT_HAS_NO_CODE, and a wrong chain with CHAIN_ID_MISMATCH", async () => {
    expect((await identityOf("0x000000000000000000000000000000000000dEaD")).checks[0]!.failure?.code).toBe("CONTRACT_HAS_NO_CODE");
    expect((await identityOf(genuine, { expectedChainId: 1 })).checks[0]!.failure?.code).toBe("CHAIN_ID_MISMATCH");
  });
});
