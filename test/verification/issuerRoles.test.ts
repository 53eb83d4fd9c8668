import type { Address, Hash, Hex } from "viem";
import type { ContentStore } from "../../server/storage/contentStore.js";
import type { CheckResult, TokenReport } from "vermilion-verify/report.js";
import type { VermilionDeployment } from "../support/deployVermilion.js";
import type { StartAnvilReturnType } from "../support/startAnvil.js";

import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { concatHex, createPublicClient, encodeFunctionData, getAddress, http, parseEventLogs } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createStoreContentSource } from "../../server/audit/createStoreContentSource.js";
import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { vermilionFactoryAbi } from "../../server/chain/abis/VermilionFactory.js";
import { mintVoucherTypedData } from "../../server/chain/mintVoucherTypedData.js";
import { createEmbeddedStore } from "../../server/storage/embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../../server/storage/metadata/buildEditionMetadata.js";
import { buildProvenanceBundle } from "vermilion-verify/bundle/buildProvenanceBundle.js";
import { createReplayChainReader } from "vermilion-verify/createReplayChainReader.js";
import { createRpcChainReader } from "vermilion-verify/createRpcChainReader.js";
import { createVerificationSession } from "vermilion-verify/createVerificationSession.js";
import { recordChainReader } from "vermilion-verify/recordChainReader.js";
import { DEFAULT_ADMIN_ROLE, ISSUER_ROLE } from "vermilion-verify/roleHistory.js";
import { serializeReport } from "vermilion-verify/serializeReport.js";
import { verifyEdition } from "vermilion-verify/verifyEdition.js";
import { verifyToken } from "vermilion-verify/verifyToken.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { deployVermilion } from "../support/deployVermilion.js";
import { runVerifyCli } from "../support/runVerifyCli.js";
import { startAnvil } from "../support/startAnvil.js";
import { samplePng } from "../storage/mediaSamples.js";

let anvil: StartAnvilReturnType;
let vermilion: VermilionDeployment;
let store: ContentStore & { close(): Promise<void> };
let storeDir: string;
/** The factory's deployer: the platform's key. */
let platformKey: Address;
/** An issuer's own admin address, and its operating key. */
let issuerAdmin: Address;
let operatingKey: Address;
let collector: Address;
/** A contract that forwards its calldata to one collection (a path around the operating key's own role). */
let forwarder: Address;

let attributed: Address;
let platformHeld: Address;
let platformIssuing: Address;
let revoked: Address;
let adminless: Address;
let attributedEdition: bigint;

async function confirm(hash: Hash) {
  const receipt = await vermilion.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return receipt;
}

/** Creates a collection straight through the factory, as the platform's key, for `admin` and `issuer`. */
async function createCollection(name: string, salt: number, admin: Address, issuer: Address): Promise<Address> {
  const receipt = await confirm(
    await vermilion.walletClient.writeContract({
      address: vermilion.factoryAddress,
      abi: vermilionFactoryAbi,
      functionName: "createCollection",
      args: [{ name, symbol: "VRM", admin, issuer, contractURI: "" }, `0x${salt.toString(16).padStart(64, "0")}`],
      account: platformKey,
      chain: foundry,
    }),
  );
  const [created] = parseEventLogs({ abi: vermilionFactoryAbi, eventName: "CollectionCreated", logs: receipt.logs });
  return created!.args.collection;
}

function send(collection: Address, from: Address, functionName: string, args: readonly unknown[]): Promise<Hash> {
  return vermilion.walletClient
    .writeContract({ address: collection, abi: vermilionCollectionAbi, functionName: functionName as "mint", args: args as never, account: from, chain: foundry })
    .then(async (hash) => (await confirm(hash), hash));
}

/** An edition whose media and metadata are really in the store, so the content checks pass too. */
async function createEdition(collection: Address, issuer: Address, maxSupply: number): Promise<bigint> {
  const media = samplePng(9, 9);
  const added = await store.addFile({ content: media });
  const sha256 = createHash("sha256").update(media).digest("hex");
  const editionId = (await vermilion.publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "editionCount" })) + 1n;
  const metadata = await buildEditionMetadata(
    { store },
    {
      edition: {
        collection,
        editionId: editionId.toString(),
        title: "Attributed seal",
        description: "",
        maxSupply,
        issuer,
        license: "CC0-1.0",
        created: "2026-12-05T07:00:00Z",
        media: { cid: added.cid.toString(), sha256, kind: "image" },
      },
    },
  );
  await send(collection, issuer, "createEdition", [
    {
      maxSupply,
      metadataCid: metadata.metadataCid.toString(),
      mediaCid: added.cid.toString(),
      contentSha256: `0x${sha256}`,
      royaltyReceiver: issuer,
      royaltyBps: 0,
      transferPolicy: 0,
      holdSeconds: 0,
    },
  ]);
  return editionId;
}

async function session(collection: Address, options: { reportVersion?: 1 | 2 } = {}) {
  const chain = await createRpcChainReader(createPublicClient({ transport: http(anvil.rpcUrl) }));
  return createVerificationSession(
    { chain, content: createStoreContentSource(store), factory: vermilion.factoryAddress, factoryFromBlock: vermilion.factoryBlock, ...options },
    collection,
  );
}

/** The edition's offline bundle, written to a file for `--car`. */
async function bundleFile(collection: Address, editionId: bigint, name: string): Promise<string> {
  const chain = await createRpcChainReader(createPublicClient({ transport: http(anvil.rpcUrl) }));
  const { car } = await buildProvenanceBundle({
    chain,
    content: createStoreContentSource(store),
    factory: vermilion.factoryAddress,
    factoryFromBlock: vermilion.factoryBlock,
    contract: collection,
    editionId,
  });
  const file = path.join(storeDir, `${name}.car`);
  await writeFile(file, car);
  return file;
}

function check(report: { checks: CheckResult[] }, name: string): CheckResult {
  const found = report.checks.find((entry) => entry.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(report.checks.map((entry) => entry.name))}`);
  return found;
}

beforeAll(async () => {
  anvil = await startAnvil();
  vermilion = await deployVermilion(anvil.rpcUrl);
  storeDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-issuer-roles-"));
  store = await createEmbeddedStore({ dataDir: storeDir, syncWrites: false });
  [platformKey, , , issuerAdmin, operatingKey, collector] = vermilion.accounts as [Address, Address, Address, Address, Address, Address];

  // 1. An issuer's own admin address and an operating key: minted by mint, airdrop and voucher.
  attributed = await createCollection("Attributed", 1, issuerAdmin, operatingKey);
  attributedEdition = await createEdition(attributed, operatingKey, 4);
  await send(attributed, operatingKey, "mint", [attributedEdition, collector, 1n]);
  await send(attributed, operatingKey, "airdrop", [attributedEdition, [collector, issuerAdmin]]);
  const voucher = { editionId: attributedEdition, to: collector, quantity: 1n, nonce: 1n, deadline: 2n ** 40n };
  const signature = await vermilion.walletClient.signTypedData({ account: operatingKey, ...mintVoucherTypedData(foundry.id, attributed, voucher) });
  await send(attributed, collector, "redeem", [voucher, signature]);

  // 2. The old way: the platform's key is admin and issuer.
  platformHeld = await createCollection("Platform held", 2, platformKey, platformKey);
  await send(platformHeld, platformKey, "mint", [await createEdition(platformHeld, platformKey, 2), collector, 1n]);

  // 3. The issuer's admin, but the platform's key issues.
  platformIssuing = await createCollection("Platform issuing", 3, issuerAdmin, platformKey);
  await send(platformIssuing, platformKey, "mint", [await createEdition(platformIssuing, platformKey, 2), collector, 1n]);

  // 4. The operating key mints, its role is revoked, then it mints again through a contract that holds the role.
  revoked = await createCollection("Revoked", 4, issuerAdmin, operatingKey);
  const revokedEdition = await createEdition(revoked, operatingKey, 3);
  await send(revoked, operatingKey, "mint", [revokedEdition, collector, 1n]);
  // Runtime code: CALLDATACOPY the whole calldata, CALL `revoked` with it, revert on failure.
  forwarder = "0x00000000000000000000000000000000f0e1d2c3";
  const runtime = concatHex(["0x365f5f375f5f365f5f73", revoked, "0x5af1602657" as Hex, "0x5f5ffd5b00" as Hex]);
  await vermilion.publicClient.request({ method: "anvil_setCode" as never, params: [forwarder, runtime] as never });
  await send(revoked, issuerAdmin, "grantRole", [ISSUER_ROLE, forwarder]);
  await send(revoked, issuerAdmin, "revokeRole", [ISSUER_ROLE, operatingKey]);
  await confirm(
    await vermilion.walletClient.sendTransaction({
      account: operatingKey,
      chain: foundry,
      to: forwarder,
      data: encodeFunctionData({ abi: vermilionCollectionAbi, functionName: "mint", args: [revokedEdition, collector, 1n] }),
      gas: 300_000n,
    }),
  );

  // 5. The admin renounced its role: nobody can be named the issuer.
  adminless = await createCollection("Adminless", 5, issuerAdmin, operatingKey);
  await send(adminless, operatingKey, "mint", [await createEdition(adminless, operatingKey, 1), collector, 1n]);
  await send(adminless, issuerAdmin, "renounceRole", [DEFAULT_ADMIN_ROLE, issuerAdmin]);
}, 120_000);

afterAll(async () => {
  await store?.close();
  await anvil?.stop();
  if (storeDir) await rm(storeDir, { recursive: true, force: true });
});

describe("issuer roles", () => {
  test("a collection administered by the issuer's address and minted by its operating key passes, naming the issuer", async () => {
    const verifying = await session(attributed);
    for (const serial of [1, 2, 3, 4]) {
      const report = await verifyToken(verifying, encodeTokenId(attributedEdition, serial));
      expect(report.verdict, JSON.stringify(report.checks.filter((entry) => entry.status !== "pass"))).toBe("pass");
      expect(report.reportVersion).toBe(2);
      expect(report.issuer).toEqual({ address: issuerAdmin });
      expect(check(report, "issuer.admin")).toMatchObject({ status: "pass", evidence: { issuer: issuerAdmin, admins: [issuerAdmin], issuingKeys: [operatingKey] } });
      expect(check(report, "issuer.platformKey")).toMatchObject({ status: "pass", evidence: { platformKeys: [{ account: platformKey }], holding: [] } });
      expect(check(report, "mint.operator").evidence.operator).toBe(operatingKey);
    }
    const voucherReport = await verifyToken(verifying, encodeTokenId(attributedEdition, 4));
    expect(check(voucherReport, "mint.operator").evidence).toMatchObject({ operatorKind: "voucher", operator: operatingKey });
    const edition = await verifyEdition(await session(attributed), { editionId: attributedEdition });
    expect(edition.verdict).toBe("pass");
    expect(edition.issuer).toEqual({ address: issuerAdmin });
    expect(edition.checks.map((entry) => entry.name)).toEqual(["contract.identity", "edition.facts", "issuer.admin", "issuer.platformKey"]);
  });

  test("a collection whose admin and issuer are the platform's key fails issuer.platformKey with PLATFORM_KEY_HOLDS_ROLE", async () => {
    const report = await verifyToken(await session(platformHeld), encodeTokenId(1n, 1));
    expect(report.verdict).toBe("fail");
    expect(report.issuer).toEqual({ address: platformKey });
    expect(check(report, "issuer.admin").status).toBe("pass");
    const platform = check(report, "issuer.platformKey");
    expect(platform).toMatchObject({ status: "fail", failure: { code: "PLATFORM_KEY_HOLDS_ROLE" } });
    expect(platform.evidence.holding).toEqual([{ account: platformKey, roles: ["DEFAULT_ADMIN_ROLE", "ISSUER_ROLE"], why: [expect.stringContaining("sent the collection's creation"), expect.stringContaining("DEPLOYER_ROLE")] }]);
    expect(platform.failure!.detail).toContain("so the collection's admin is the platform's key");
    // Minted by a key that held ISSUER_ROLE then: the mint itself is authorized, the role layout is not.
    expect(check(report, "mint.operator").status).toBe("pass");
  });

  test("the platform's key holding only ISSUER_ROLE fails issuer.platformKey too", async () => {
    const report = await verifyToken(await session(platformIssuing), encodeTokenId(1n, 1));
    expect(report.issuer).toEqual({ address: issuerAdmin });
    expect(check(report, "issuer.platformKey")).toMatchObject({ status: "fail", failure: { code: "PLATFORM_KEY_HOLDS_ROLE" }, evidence: { holding: [{ account: platformKey, roles: ["ISSUER_ROLE"] }] } });
  });

  test("a mint sent by a key whose ISSUER_ROLE was revoked, through a contract holding the role, fails mint.operator with MINT_OPERATOR_NOT_ISSUER", async () => {
    const verifying = await session(revoked);
    const before = await verifyToken(verifying, encodeTokenId(1n, 1));
    expect(check(before, "mint.operator")).toMatchObject({ status: "pass", evidence: { operator: operatingKey, operatorKind: "sender", via: null } });
    const after = await verifyToken(verifying, encodeTokenId(1n, 2));
    expect(after.verdict).toBe("fail");
    const operator = check(after, "mint.operator");
    expect(operator).toMatchObject({ status: "fail", failure: { code: "MINT_OPERATOR_NOT_ISSUER" }, evidence: { operator: operatingKey, via: getAddress(forwarder) } });
    expect((operator.evidence.issuingKeysAtMint as string[]).map((account) => account.toLowerCase())).toEqual([forwarder]);
    expect(check(after, "issuer.admin").status).toBe("pass");
    expect(check(after, "issuer.platformKey").status).toBe("pass");
  });

  test("a collection whose admin renounced its role fails issuer.admin with ISSUER_NO_ADMIN and names no issuer", async () => {
    const report = await verifyToken(await session(adminless), encodeTokenId(1n, 1));
    expect(report.issuer).toEqual({ address: null });
    expect(check(report, "issuer.admin")).toMatchObject({ status: "fail", failure: { code: "ISSUER_NO_ADMIN" } });
    // The grant at creation and the renouncement, each cited where it is on the chain.
    expect(check(report, "issuer.admin").evidence.adminChanges).toMatchObject([
      { account: issuerAdmin, granted: true, transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
      { account: issuerAdmin, granted: false },
    ]);
  });

  test("a recorded run replays to the same bytes; a version 1 run needs no role answers, and a version 2 replay of its recording is BUNDLE_INCOMPLETE", async () => {
    const tokenId = encodeTokenId(attributedEdition, 2);
    const live = await createRpcChainReader(createPublicClient({ transport: http(anvil.rpcUrl) }));
    const deps = { content: createStoreContentSource(store), factory: vermilion.factoryAddress, factoryFromBlock: vermilion.factoryBlock };

    const recording = recordChainReader(live);
    const recorded = await verifyToken(createVerificationSession({ ...deps, chain: recording.reader }, attributed), tokenId);
    expect(recording.answers().some((answer) => answer.method === "getTransaction")).toBe(true);
    const replay = createReplayChainReader(live.pinnedBlock, recording.answers());
    expect(serializeReport(await verifyToken(createVerificationSession({ ...deps, chain: replay }, attributed), tokenId))).toBe(serializeReport(recorded));

    const recordingV1 = recordChainReader(live);
    const v1: TokenReport = await verifyToken(createVerificationSession({ ...deps, chain: recordingV1.reader, reportVersion: 1 }, attributed), tokenId);
    expect(v1.reportVersion).toBe(1);
    expect(v1.issuer).toBeUndefined();
    expect(v1.checks.map((entry) => entry.name)).toEqual(["contract.identity", "history.transfers", "metadata.content", "media.content", "edition.facts"]);
    const replayV1 = createReplayChainReader(live.pinnedBlock, recordingV1.answers());
    expect(serializeReport(await verifyToken(createVerificationSession({ ...deps, chain: replayV1, reportVersion: 1 }, attributed), tokenId))).toBe(serializeReport(v1));
    await expect(verifyToken(createVerificationSession({ ...deps, chain: replayV1 }, attributed), tokenId)).rejects.toMatchObject({ code: "BUNDLE_INCOMPLETE" });
  });

  test("vermilion-verify --car prints the issuer and the issuer checks: exit 0 for the issuer's collection, 1 with PLATFORM_KEY_HOLDS_ROLE for the platform's", async () => {
    const attributedCar = await bundleFile(attributed, attributedEdition, "attributed");
    const passing = await runVerifyCli(["--car", attributedCar, "--factory", vermilion.factoryAddress, "--token", encodeTokenId(attributedEdition, 4).toString()]);
    expect(passing.code, passing.stderr).toBe(0);
    const report = JSON.parse(passing.stdout) as TokenReport;
    expect(report).toMatchObject({ reportVersion: 2, issuer: { address: issuerAdmin }, verdict: "pass" });
    expect(report.checks.filter((entry) => entry.name.startsWith("issuer.") || entry.name === "mint.operator").map((entry) => [entry.name, entry.status])).toEqual([
      ["issuer.admin", "pass"],
      ["issuer.platformKey", "pass"],
      ["mint.operator", "pass"],
    ]);

    const platformCar = await bundleFile(platformHeld, 1n, "platform-held");
    const failing = await runVerifyCli(["--car", platformCar, "--factory", vermilion.factoryAddress, "--token", encodeTokenId(1n, 1).toString()]);
    expect(failing.code, failing.stderr).toBe(1);
    const failed = JSON.parse(failing.stdout) as TokenReport;
    expect(failed.issuer).toEqual({ address: platformKey });
    expect(check(failed, "issuer.platformKey").failure?.code).toBe("PLATFORM_KEY_HOLDS_ROLE");
  });
});
