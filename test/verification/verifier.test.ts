import type { Address, Hex } from "viem";
import type { ProvenanceBundle } from "vermilion-verify/bundle/provenanceBundle.js";
import type { ContentSource } from "vermilion-verify/content/contentSource.js";
import type { CheckResult, EditionReport, TokenReport } from "vermilion-verify/report.js";
import type { VerificationFixture } from "./verificationFixture.js";

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";

import { CarReader } from "@ipld/car/reader";
import { CarWriter } from "@ipld/car/writer";
import { CID } from "multiformats/cid";
import * as json from "multiformats/codecs/json";
import { sha256 } from "multiformats/hashes/sha2";
import pg from "pg";
import { createPublicClient, encodeFunctionData, http, pad, toEventSelector } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createStoreContentSource } from "../../server/audit/createStoreContentSource.js";
import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { canonicalJson } from "vermilion-verify/shared/canonicalJson.js";
import { buildProvenanceBundle } from "vermilion-verify/bundle/buildProvenanceBundle.js";
import { crossCheckBundle } from "vermilion-verify/bundle/crossCheckBundle.js";
import { openProvenanceBundle } from "vermilion-verify/bundle/openProvenanceBundle.js";
import { createGatewayContentSource } from "vermilion-verify/content/createGatewayContentSource.js";
import { createHttpApiProvenanceSource } from "vermilion-verify/createHttpApiProvenanceSource.js";
import { createRpcChainReader } from "vermilion-verify/createRpcChainReader.js";
import { createVerificationSession } from "vermilion-verify/createVerificationSession.js";
import { serializeReport, signedPayload } from "vermilion-verify/serializeReport.js";
import { verifyEdition } from "vermilion-verify/verifyEdition.js";
import { verifyToken } from "vermilion-verify/verifyToken.js";
import { answerKey } from "vermilion-verify/chainReader.js";
import { listenOnLoopback } from "../support/listen.js";
import { runVerifyCli } from "../support/runVerifyCli.js";
import { startFaultyRpcProxy } from "../support/startFaultyRpcProxy.js";
import { flipByte, forgeConsistently } from "./forgeBundle.js";
import { collectorA, collectorB, startTamperingGateway, startVerificationFixture } from "./verificationFixture.js";

const TRANSFER_TOPIC = toEventSelector("Transfer(address,address,uint256)");

let fixture: VerificationFixture;
let tempDir: string;

beforeAll(async () => {
  [fixture, tempDir] = await Promise.all([startVerificationFixture(), mkdtemp(path.join(os.tmpdir(), "vermilion-verify-cli-"))]);
});
afterAll(async () => {
  await fixture?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

interface VerifyOptions {
  rpcUrl?: string;
  content?: ContentSource;
  withApi?: boolean;
  blockNumber?: bigint;
  collection?: Address;
}

async function verify(tokenId: bigint, options: VerifyOptions = {}): Promise<TokenReport> {
  const client = createPublicClient({ transport: http(options.rpcUrl ?? fixture.rpcUrl) });
  const chain = await createRpcChainReader(client, options.blockNumber === undefined ? {} : { blockNumber: options.blockNumber });
  const session = createVerificationSession(
    {
      chain,
      content: options.content ?? createGatewayContentSource({ gatewayUrl: fixture.platform.server.url }),
      factory: fixture.factory,
      expectedChainId: 31337,
      ...(options.withApi ? { api: createHttpApiProvenanceSource({ apiUrl: fixture.platform.server.url }) } : {}),
    },
    options.collection ?? fixture.collection,
  );
  return verifyToken(session, tokenId);
}

function check(report: { checks: CheckResult[] }, name: CheckResult["name"]): CheckResult {
  const found = report.checks.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(report.checks.map((c) => c.name))}`);
  return found;
}

function statuses(report: TokenReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((entry) => [entry.name, entry.status]));
}

describe("the verifier library", () => {
  test("passes untampered tokens (held, transferred, burned) and reproduces the API's provenance exactly", async () => {
    await fixture.waitForIndex();
    for (const tokenId of [1_000_001n, 1_000_002n, 1_000_003n]) {
      const report = await verify(tokenId, { withApi: true });
      expect(statuses(report), JSON.stringify(report.checks.filter((c) => c.status !== "pass"))).toEqual({
        "contract.identity": "pass",
        "history.transfers": "pass",
        "metadata.content": "pass",
        "media.content": "pass",
        "edition.facts": "pass",
        "issuer.admin": "pass",
        "issuer.platformKey": "pass",
        "mint.operator": "pass",
        "api.provenance": "pass",
      });
      expect(report.verdict).toBe("pass");
      // The issuer the chain names is the issuer's own address, as the platform registered it.
      expect(report.issuer?.address?.toLowerCase()).toBe(fixture.issuerAddress);
      const chainEvents = check(report, "history.transfers").evidence.events as Array<Record<string, unknown>>;
      const apiProvenance = (await (await fetch(`${fixture.platform.server.url}/api/tokens/${fixture.collection}/${tokenId}/provenance`)).json()) as {
        history: Array<{ from: string; to: string; txHash: string; blockNumber: number; blockHash: string; logIndex: number }>;
      };
      expect(apiProvenance.history.map((entry) => [entry.blockNumber.toString(), entry.blockHash, entry.logIndex, entry.txHash, entry.from, entry.to])).toEqual(
        chainEvents.map((event) => [event.blockNumber, event.blockHash, event.logIndex, event.transactionHash, String(event.from).toLowerCase(), String(event.to).toLowerCase()]),
      );
    }
    const transferred = await verify(1_000_001n);
    expect(check(transferred, "history.transfers").evidence).toMatchObject({ owner: collectorB.address, burned: false, mintCount: 1 });
    const burned = await verify(1_000_003n);
    expect(check(burned, "history.transfers").evidence).toMatchObject({ owner: null, burned: true });
  });

  test("media whose bytes are not what was committed on chain fails media.content with MEDIA_SHA256_MISMATCH", async () => {
    const report = await verify(2_000_001n, { content: createStoreContentSource(fixture.sideStore) });
    expect(report.verdict).toBe("fail");
    expect(check(report, "media.content").failure?.code).toBe("MEDIA_SHA256_MISMATCH");
    expect(check(report, "media.content").evidence.contentSha256).not.toBe(check(report, "media.content").evidence.onChainSha256);
    // The document repeats the altered media's hash, so it contradicts the chain too.
    expect(check(report, "metadata.content").failure?.code).toBe("METADATA_PROVENANCE_MISMATCH");
    expect(check(report, "history.transfers").status).toBe("pass");
  });

  test("metadata that contradicts the chain fails metadata.content with METADATA_PROVENANCE_MISMATCH", async () => {
    const report = await verify(3_000_001n, { content: createStoreContentSource(fixture.sideStore) });
    expect(check(report, "metadata.content").failure?.code).toBe("METADATA_PROVENANCE_MISMATCH");
    expect(check(report, "metadata.content").evidence.mismatches).toEqual([expect.stringContaining("editionId 9 is not 3")]);
    expect(check(report, "media.content").status).toBe("pass");
  });

  test("a gateway serving wrong bytes for the media CID fails media.content with MEDIA_CID_MISMATCH", async () => {
    const gateway = await startTamperingGateway(fixture.platform.server.url, (cid) =>
      cid === fixture.edition1.mediaCid ? new TextEncoder().encode("not the seal") : undefined,
    );
    try {
      const report = await verify(1_000_002n, { content: createGatewayContentSource({ gatewayUrl: gateway.url }) });
      expect(check(report, "media.content").failure?.code).toBe("MEDIA_CID_MISMATCH");
      expect(check(report, "metadata.content").status).toBe("pass");
    } finally {
      await gateway.stop();
    }
  });

  test("metadata altered behind its CID fails metadata.content with METADATA_CID_MISMATCH", async () => {
    const honest = await verify(1_000_002n);
    const documentCid = check(honest, "metadata.content").evidence.documentCid as string;
    const gateway = await startTamperingGateway(fixture.platform.server.url, (cid) =>
      cid === documentCid ? new TextEncoder().encode(JSON.stringify({ name: "Forged #2", description: "", image: "ipfs://x" })) : undefined,
    );
    try {
      const report = await verify(1_000_002n, { content: createGatewayContentSource({ gatewayUrl: gateway.url }) });
      expect(check(report, "metadata.content").failure?.code).toBe("METADATA_CID_MISMATCH");
    } finally {
      await gateway.stop();
    }
  });

  test("a failed transaction's log presented as a transfer fails history.transfers with HISTORY_FAILED_TRANSACTION_LOG", async () => {
    // Collector B tries to take serial 2 from A: the transaction is mined (gas given) but reverts.
    const failedTransfer = await fixture.send(collectorB, "transferFrom", [collectorA.address, collectorB.address, 1_000_002n], 200_000n);
    expect(failedTransfer.status).toBe("reverted");
    const forged = {
      address: fixture.collection.toLowerCase(),
      topics: [TRANSFER_TOPIC, pad(collectorA.address.toLowerCase() as Hex), pad(collectorB.address.toLowerCase() as Hex), pad("0xf4242")],
      data: "0x",
      blockNumber: `0x${failedTransfer.blockNumber.toString(16)}`,
      blockHash: failedTransfer.blockHash,
      logIndex: "0x0",
      transactionHash: failedTransfer.hash,
      transactionIndex: "0x0",
      removed: false,
    };
    const proxy = await startFaultyRpcProxy({
      targetUrl: fixture.rpcUrl,
      faultFor: () => null,
      tamper: (method, answer) => {
        const logs = answer.result as Array<{ topics: string[] }> | undefined;
        if (method !== "eth_getLogs" || !Array.isArray(logs) || !logs.some((log) => log.topics[0] === TRANSFER_TOPIC)) return answer;
        return { ...answer, result: [...logs, forged] };
      },
    });
    try {
      const report = await verify(1_000_002n, { rpcUrl: proxy.url });
      const history = check(report, "history.transfers");
      expect(history.failure?.code).toBe("HISTORY_FAILED_TRANSACTION_LOG");
      expect(history.evidence.events).toContainEqual(expect.objectContaining({ transactionHash: failedTransfer.hash, receiptStatus: "reverted" }));
      // Left out of the history, the forged log does not move the token: the history still ends at ownerOf.
      expect(history.evidence.owner).toBe(collectorA.address);
      expect(report.verdict).toBe("fail");
    } finally {
      await proxy.stop();
    }
  });

  test("two runs at the same block give byte-identical reports", async () => {
    const blockNumber = await createPublicClient({ transport: http(fixture.rpcUrl) }).getBlockNumber();
    const [first, second] = [await verify(1_000_001n, { blockNumber }), await verify(1_000_001n, { blockNumber })];
    expect(serializeReport(second)).toBe(serializeReport(first));
    expect(first.pinnedBlock.number).toBe(blockNumber.toString());
  });
});

describe("the platform's verification API", () => {
  test("GET /api/tokens/:address/:tokenId/verify returns the canonical report the library produces, api.provenance included", async () => {
    await fixture.waitForIndex();
    const response = await fetch(`${fixture.platform.server.url}/api/tokens/${fixture.collection}/1000001/verify`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const report = JSON.parse(text) as TokenReport;
    expect(serializeReport(report)).toBe(text);
    expect(report.verdict).toBe("pass");
    expect(report.checks.map((entry) => entry.name)).toEqual([
      "contract.identity",
      "history.transfers",
      "metadata.content",
      "media.content",
      "edition.facts",
      "issuer.admin",
      "issuer.platformKey",
      "mint.operator",
      "api.provenance",
    ]);
    // An auditor's run through the gateway and the public API at the same block says exactly the same.
    const independent = await verify(1_000_001n, { withApi: true, blockNumber: BigInt(report.pinnedBlock.number) });
    expect(signedPayload(independent)).toBe(signedPayload(report));

    // Signed with the platform's published report key, which is what an auditor names to --check-report.
    const published = (await (await fetch(`${fixture.platform.server.url}/api/report-key`)).json()) as { address: Address; scheme: string };
    expect(report.signature).toMatchObject({ signer: published.address, scheme: "EIP-191" });
    const stored = path.join(tempDir, "platform-report.json");
    await writeFile(stored, text);
    const accepted = await runVerifyCli(["--check-report", stored, "--signer", published.address]);
    expect(accepted.code, accepted.stdout).toBe(0);
    const refused = await runVerifyCli(["--check-report", stored, "--signer", privateKeyToAccount(generatePrivateKey()).address]);
    expect(refused.code).toBe(1);
  });

  test("a forged row in the index fails api.provenance with API_PROVENANCE_MISMATCH while the chain checks pass", async () => {
    const client = new pg.Client({ connectionString: fixture.databaseUrl });
    await client.connect();
    const forgedOwner = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
    try {
      await client.query("UPDATE indexer_tokens SET owner = $1 WHERE token_id = 1000002", [forgedOwner]);
      await client.query("UPDATE indexer_transfers SET to_address = $1 WHERE token_id = 1000002", [forgedOwner]);
      const response = await fetch(`${fixture.platform.server.url}/api/tokens/${fixture.collection}/1000002/verify`);
      const report = (await response.json()) as TokenReport;
      expect(check(report, "api.provenance").failure?.code).toBe("API_PROVENANCE_MISMATCH");
      expect(check(report, "api.provenance").evidence.mismatches).toEqual(
        expect.arrayContaining([expect.stringContaining(`owner: API ${forgedOwner}`), expect.stringContaining("event 0 to")]),
      );
      expect(check(report, "history.transfers").status).toBe("pass");
      expect(report.verdict).toBe("fail");
    } finally {
      await client.query("UPDATE indexer_tokens SET owner = $1 WHERE token_id = 1000002", [collectorA.address.toLowerCase()]);
      await client.query("UPDATE indexer_transfers SET to_address = $1 WHERE token_id = 1000002", [collectorA.address.toLowerCase()]);
      await client.end();
    }
  });

  test("an edition verifies as a job with progress; unknown jobs are 404 and bad ids 400", async () => {
    const started = await fetch(`${fixture.platform.server.url}/api/collections/${fixture.collection}/editions/1/verify`, { method: "POST" });
    expect(started.status).toBe(202);
    const { jobId } = (await started.json()) as { jobId: string };
    let job: { state: string; progress: { done: number; total: number }; verdict?: string; reports?: TokenReport[]; signature?: { signer: string } };
    for (;;) {
      job = (await (await fetch(`${fixture.platform.server.url}/api/verification-jobs/${jobId}`)).json()) as typeof job;
      if (job.state !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(job).toMatchObject({ state: "completed", progress: { done: 3, total: 3 }, verdict: "pass" });
    expect(job.reports?.map((report) => report.subject.tokenId)).toEqual(["1000001", "1000002", "1000003"]);
    const published = (await (await fetch(`${fixture.platform.server.url}/api/report-key`)).json()) as { address: string };
    expect(job.signature?.signer).toBe(published.address);

    const unknown = await fetch(`${fixture.platform.server.url}/api/verification-jobs/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("VERIFICATION_JOB_NOT_FOUND");
    const badToken = await fetch(`${fixture.platform.server.url}/api/tokens/${fixture.collection}/abc/verify`);
    expect(badToken.status).toBe(400);
    expect(((await badToken.json()) as { error: { details: { field: string } } }).error.details.field).toBe("params.tokenId");
  });

  test("the edition's bundle.car verifies offline, with the same result as online", async () => {
    const response = await fetch(`${fixture.platform.server.url}/api/collections/${fixture.collection}/editions/1/bundle.car`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/vnd.ipld.car");
    const car = new Uint8Array(await response.arrayBuffer());
    await writeFile(path.join(tempDir, "edition-1.car"), car);
    const opened = await openProvenanceBundle(car);
    // Version 3: every header from the factory's deployment up to the pinned block, and block bodies.
    expect(opened.bundle.version).toBe(3);
    expect(opened.bundle.proofs!.headers).toHaveLength(Number(BigInt(opened.bundle.pinnedBlock.number) - BigInt(opened.bundle.proofs!.firstBlock)) + 1);
    expect(opened.bundle).toMatchObject({ chainId: 31337, editionId: "1", mediaCid: fixture.edition1.mediaCid, metadataCid: fixture.edition1.metadataCid });
    expect(opened.bundle.events.filter((event) => event.tokenId === "1000001").map((event) => event.to)).toEqual([collectorA.address, collectorB.address]);
    const offline = await verifyEdition(createVerificationSession(
        { chain: opened.chain, content: opened.content, factory: fixture.factory, factoryFromBlock: BigInt(opened.bundle.factoryFromBlock) },
        fixture.collection,
      ), {
      editionId: 1n,
    });
    expect(offline.verdict).toBe("pass");
    const online = await verify(1_000_001n, { blockNumber: BigInt(opened.bundle.pinnedBlock.number) });
    expect(serializeReport(offline.reports[0]!)).toBe(serializeReport(online));
  });
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** A JSON-RPC proxy that answers `refused` methods "Method not found", as endpoints without them do. */
async function startMethodRefusingProxy(targetUrl: string, refused: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const call = JSON.parse(body) as { id: number; method: string };
    if (refused.includes(call.method)) {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: call.id, error: { code: -32601, message: "Method not found" } }));
      return;
    }
    const upstream = await fetch(targetUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
    response.writeHead(upstream.status, { "content-type": "application/json" }).end(Buffer.from(await upstream.arrayBuffer()));
  });
  return listenOnLoopback(server);
}

/** Rewrites a bundle CAR: its root JSON through `editRoot`, and any block through `editBlock`. */
async function rewriteBundle(
  car: Uint8Array,
  edits: { editRoot?: (root: ProvenanceBundle) => void; editBlock?: (cid: CID, bytes: Uint8Array) => Uint8Array },
): Promise<Uint8Array> {
  const reader = await CarReader.fromBytes(car);
  const [rootCid, ...otherRoots] = await reader.getRoots();
  const blocks: Array<{ cid: CID; bytes: Uint8Array }> = [];
  let newRoot = rootCid!;
  for await (const block of reader.blocks()) {
    if (block.cid.equals(rootCid!)) {
      const root = json.decode(block.bytes) as ProvenanceBundle;
      edits.editRoot?.(root);
      const bytes = new TextEncoder().encode(canonicalJson(root));
      newRoot = CID.createV1(json.code, await sha256.digest(bytes));
      blocks.push({ cid: newRoot, bytes });
    } else {
      blocks.push({ cid: block.cid, bytes: edits.editBlock?.(block.cid, block.bytes) ?? block.bytes });
    }
  }
  const { writer, out } = CarWriter.create([newRoot, ...otherRoots]);
  const collected = (async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of out) chunks.push(chunk);
    return new Uint8Array(Buffer.concat(chunks));
  })();
  for (const block of blocks) await writer.put(block);
  await writer.close();
  return collected;
}

describe("tampered provenance bundles", () => {
  /** The bundle's pinned block's hash as the chain itself says: what an auditor passes as --trust-block. */
  let trueHash: Hex;
  beforeAll(async () => {
    const { bundle } = await openProvenanceBundle(new Uint8Array(await readFile(path.join(tempDir, "edition-1.car"))));
    trueHash = (await createPublicClient({ transport: http(fixture.rpcUrl) }).getBlock({ blockNumber: BigInt(bundle.pinnedBlock.number) })).hash;
  });

  /** Edition 1's version 3 bundle, built at the stored bundle's block with proofs read through `rpcUrl` (a proxy that limits or rewrites the chain's answers). */
  async function buildBundleThrough(rpcUrl: string, at: ProvenanceBundle) {
    const client = createPublicClient({ transport: http(rpcUrl) });
    return buildProvenanceBundle({
      chain: await createRpcChainReader(client, { blockNumber: BigInt(at.pinnedBlock.number) }),
      content: createGatewayContentSource({ gatewayUrl: fixture.platform.server.url }),
      factory: fixture.factory,
      factoryFromBlock: BigInt(at.factoryFromBlock),
      contract: fixture.collection,
      editionId: 1n,
      proofs: { client: client as never },
    });
  }

  async function verifyBundle(car: Uint8Array, options: { rpc?: boolean; trustedHash?: Hex } = {}): Promise<TokenReport> {
    const opened = await openProvenanceBundle(car, "bundle", options.trustedHash ? { trustedBlockHash: options.trustedHash } : {});
    const chain = options.rpc
      ? await createRpcChainReader(createPublicClient({ transport: http(fixture.rpcUrl) }), { blockNumber: BigInt(opened.bundle.pinnedBlock.number) })
      : opened.chain;
    const session = createVerificationSession(
      { chain, content: opened.content, factory: fixture.factory, factoryFromBlock: BigInt(opened.bundle.factoryFromBlock) },
      fixture.collection,
    );
    const report = await verifyToken(session, 1_000_001n);
    if (!options.rpc) {
      if (!opened.proofs) return report;
      const proofsCheck = opened.proofs.check();
      return { ...report, checks: [...report.checks, proofsCheck], verdict: proofsCheck.status === "fail" ? "fail" : report.verdict };
    }
    const crossCheck = await crossCheckBundle(chain, opened.bundle.pinnedBlock, opened.bundle.answers, opened.proofs !== undefined);
    return { ...report, checks: [...report.checks, crossCheck] };
  }

  test("media bytes swapped inside the CAR fail media.content with MEDIA_CID_MISMATCH, offline", async () => {
    const car = new Uint8Array(await readFile(path.join(tempDir, "edition-1.car")));
    const tampered = await rewriteBundle(car, {
      editBlock: (cid, bytes) => (cid.toString() === fixture.edition1.mediaCid ? bytes.map((byte, index) => (index === 100 ? byte ^ 0xff : byte)) : bytes),
    });
    const report = await verifyBundle(tampered);
    expect(check(report, "media.content").failure?.code).toBe("MEDIA_CID_MISMATCH");
  });

  test("one byte altered in a metadata directory block of the CAR fails metadata.content with METADATA_CID_MISMATCH naming that block, offline", async () => {
    const car = new Uint8Array(await readFile(path.join(tempDir, "edition-1.car")));
    let altered = false;
    const tampered = await rewriteBundle(car, {
      editBlock: (cid, bytes) => {
        if (cid.toString() !== fixture.edition1.metadataCid) return bytes;
        altered = true;
        return bytes.map((byte, index) => (index === bytes.length - 1 ? byte ^ 0x01 : byte));
      },
    });
    expect(altered).toBe(true);
    const report = await verifyBundle(tampered);
    expect(check(report, "metadata.content").failure?.code).toBe("METADATA_CID_MISMATCH");
    expect(check(report, "metadata.content").failure?.detail).toContain(fixture.edition1.metadataCid);
    expect(report.verdict).toBe("fail");
  });

  test("forged chain answers, rewritten consistently down to the receipts and every header, fail offline given the true block hash: BUNDLE_PINNED_BLOCK_UNTRUSTED", async () => {
    const car = new Uint8Array(await readFile(path.join(tempDir, "edition-1.car")));
    // The forger rewrites the token's history to end with someone else, consistently: the recorded answers,
    // the receipts' logs (and the transactions naming collector B), each altered block's roots, and every
    // header from there up, so each header still hashes to the next one's parent hash.
    const thief = privateKeyToAccount(generatePrivateKey()).address;
    const { bundle } = await openProvenanceBundle(car);
    await forgeConsistently(bundle, collectorB.address, thief);
    const forged = await rewriteBundle(car, { editRoot: (root) => Object.assign(root, bundle) });
    const forgedRoot = (await openProvenanceBundle(forged)).bundle;
    expect(forgedRoot.pinnedBlock.hash).not.toBe(trueHash);

    // Trusting the bundle's own pinned hash, the forgery holds together: the proven history ends with the thief.
    const trustingTheMaker = await verifyBundle(forged);
    const events = check(trustingTheMaker, "history.transfers").evidence.events as Array<{ to: string }>;
    expect(events.at(-1)?.to.toLowerCase()).toBe(thief.toLowerCase());
    expect(check(trustingTheMaker, "bundle.proofs").evidence.anchor).toMatchObject({ source: "the bundle", blockHash: forgedRoot.pinnedBlock.hash });

    // Given the true block hash, the forgery fails before any answer is read.
    const error = await rejection(openProvenanceBundle(forged, "forged", { trustedBlockHash: trueHash }));
    expect(error).toMatchObject({ code: "BUNDLE_PINNED_BLOCK_UNTRUSTED", details: { expected: trueHash, actual: forgedRoot.pinnedBlock.hash } });
    const cli = path.join(tempDir, "forged.car");
    await writeFile(cli, forged);
    const refused = await runVerifyCli(["--car", cli, "--factory", fixture.factory, "--token", "1000001", "--trust-block", trueHash]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ verdict: "fail", failure: { code: "BUNDLE_PINNED_BLOCK_UNTRUSTED" } });
  });

  test("a forged recorded answer is not what a version 3 bundle reads, even declared unproven: the proven owner is still collector B; with --rpc the cross-check names BUNDLE_CHAIN_MISMATCH", async () => {
    const car = new Uint8Array(await readFile(path.join(tempDir, "edition-1.car")));
    const thief = privateKeyToAccount(generatePrivateKey()).address;
    // Version 3 records only what its proofs do not cover: here nothing.
    expect((await openProvenanceBundle(car)).bundle.answers).toEqual([]);
    const params = [fixture.collection.toLowerCase(), encodeFunctionData({ abi: vermilionCollectionAbi, functionName: "ownerOf", args: [1_000_001n] })];
    const tampered = await rewriteBundle(car, {
      editRoot: (root) => {
        // The forger adds its own answer to ownerOf and declares it unproven: the proofs still answer it.
        root.answers.push({ method: "call", params, result: { ok: true, data: pad(thief.toLowerCase() as Hex) } });
        root.proofs!.unproven.push({ question: answerKey("call", params), reason: "forger" });
      },
    });
    const offline = await verifyBundle(tampered, { trustedHash: trueHash });
    const events = check(offline, "history.transfers").evidence.events as Array<{ to: string }>;
    expect(events.at(-1)?.to).toBe(collectorB.address);
    // ownerOf is run offline over state proven against the pinned stateRoot: collector B, not the forged answer.
    expect(check(offline, "history.transfers")).toMatchObject({ status: "pass", evidence: { owner: collectorB.address } });
    expect(check(offline, "bundle.proofs")).toMatchObject({ status: "pass", evidence: { unproven: [], stateProofs: "verified" } });
    expect(offline.verdict).toBe("pass");
    const crossChecked = await verifyBundle(tampered, { rpc: true });
    expect(check(crossChecked, "bundle.chainData").failure?.code).toBe("BUNDLE_CHAIN_MISMATCH");
    expect(check(crossChecked, "history.transfers").evidence.owner).toBe(collectorB.address);
    // Untampered, the cross-check compares the pinned hash, which covers every proven answer.
    const honest = await verifyBundle(car, { rpc: true });
    expect(check(honest, "bundle.chainData")).toMatchObject({ status: "pass", evidence: { answersCompared: 0, otherAnswers: "proven from the pinned block" } });
  });

  test("one altered byte in a header, a receipt, a transaction, a state proof node or a contract's code fails with a code naming it and where", async () => {
    const car = new Uint8Array(await readFile(path.join(tempDir, "edition-1.car")));
    const { bundle } = await openProvenanceBundle(car, "edition 1", { trustedBlockHash: trueHash });
    const proofs = bundle.proofs!;
    const pinned = bundle.pinnedBlock.number;
    // The block of collector A's transfer to collector B: its header, receipts and transactions are in the bundle.
    const transfer = bundle.events.find((event) => event.tokenId === "1000001" && event.to === collectorB.address)!;
    const bodyIndex = proofs.blocks.findIndex((body) => body.number === transfer.blockNumber);
    const headerIndex = Number(BigInt(transfer.blockNumber) - BigInt(proofs.firstBlock));
    expect(bodyIndex).toBeGreaterThanOrEqual(0);
    expect(transfer.blockNumber).not.toBe(pinned);

    const cases: Array<[string, (root: ProvenanceBundle) => void, Record<string, unknown>]> = [
      ["a header below the pinned one", (root) => (root.proofs!.headers[headerIndex] = flipByte(root.proofs!.headers[headerIndex]!, 300)), { code: "BUNDLE_HEADER_HASH_MISMATCH", details: { block: transfer.blockNumber } }],
      ["the pinned header", (root) => (root.proofs!.headers[root.proofs!.headers.length - 1] = flipByte(root.proofs!.headers.at(-1)!, 100)), { code: "BUNDLE_HEADER_HASH_MISMATCH", details: { block: pinned } }],
      ["a receipt", (root) => (root.proofs!.blocks[bodyIndex]!.receipts[0] = flipByte(root.proofs!.blocks[bodyIndex]!.receipts[0]!, 40)), { code: "BUNDLE_RECEIPTS_ROOT_MISMATCH", details: { block: transfer.blockNumber } }],
      ["a transaction", (root) => (root.proofs!.blocks[bodyIndex]!.transactions[0] = flipByte(root.proofs!.blocks[bodyIndex]!.transactions[0]!, 20)), { code: "BUNDLE_TRANSACTIONS_ROOT_MISMATCH", details: { block: transfer.blockNumber } }],
      // Headers that are not one chain up to the pinned block: one left out, or the run said to start elsewhere.
      ["a header left out", (root) => void root.proofs!.headers.splice(headerIndex, 1), { code: "BUNDLE_HEADER_CHAIN_BROKEN", details: { block: pinned } }],
      ["the first block moved", (root) => (root.proofs!.firstBlock = (BigInt(root.proofs!.firstBlock) - 1n).toString()), { code: "BUNDLE_HEADER_CHAIN_BROKEN", details: { block: pinned } }],
    ];
    // The state: a trie node of the eth_getProof proofs, and a contract's runtime code.
    const state = proofs.state as { nodes: string[]; codes: Array<{ address: string; code: string }> };
    expect(state.nodes.length).toBeGreaterThan(0);
    for (const index of [0, state.nodes.length - 1]) {
      cases.push([`state proof node ${index}`, (root) => ((root.proofs!.state as typeof state).nodes[index] = flipByte(state.nodes[index]!, 40)), { code: "BUNDLE_STATE_PROOF_INVALID", details: { block: pinned, address: expect.stringMatching(/^0x[0-9a-f]{40}$/) } }]);
    }
    const code = state.codes.find((entry) => entry.code.length > 100)!;
    cases.push(["a contract's code", (root) => ((root.proofs!.state as typeof state).codes.find((entry) => entry.address === code.address)!.code = flipByte(code.code, 10)), { code: "BUNDLE_CODE_HASH_MISMATCH", details: { address: code.address } }]);
    for (const [what, edit, expected] of cases) {
      const altered = await rewriteBundle(car, { editRoot: edit });
      // Proofs are checked whether or not a block is trusted: an altered proof is never read.
      expect(await rejection(openProvenanceBundle(altered, what, { trustedBlockHash: trueHash })), what).toMatchObject(expected);
      expect(await rejection(openProvenanceBundle(altered, what)), what).toMatchObject(expected);
    }
  });

  test("a block whose bloom may match left without its receipts fails the log query with BUNDLE_LOGS_INCOMPLETE naming the block", async () => {
    const car = new Uint8Array(await readFile(path.join(tempDir, "edition-1.car")));
    const { bundle } = await openProvenanceBundle(car);
    const transfer = bundle.events.find((event) => event.tokenId === "1000001" && event.to === collectorB.address)!;
    const trimmed = await rewriteBundle(car, { editRoot: (root) => (root.proofs!.blocks = root.proofs!.blocks.filter((body) => body.number !== transfer.blockNumber)) });
    await expect(verifyBundle(trimmed, { trustedHash: trueHash })).rejects.toMatchObject({ code: "BUNDLE_LOGS_INCOMPLETE", details: { block: transfer.blockNumber } });
  });

  test("built from an endpoint without eth_getProof or raw transactions, the bundle lists its unproven claims; bundle.proofs fails with --trust-block (BUNDLE_CLAIMS_UNPROVEN) and says so without", async () => {
    const { bundle } = await openProvenanceBundle(new Uint8Array(await readFile(path.join(tempDir, "edition-1.car"))));
    const limited = await startMethodRefusingProxy(fixture.rpcUrl, ["eth_getProof", "eth_getRawTransactionByBlockNumberAndIndex"]);
    try {
      const { car } = await buildBundleThrough(limited.url, bundle);
      const opened = await openProvenanceBundle(car);
      const methods = new Set(opened.bundle.proofs!.unproven.map((claim) => (JSON.parse(claim.question) as [string])[0]));
      // Calls and code need eth_getProof; logs, receipts and transactions need the blocks' raw transactions.
      expect([...methods].sort()).toEqual(["call", "getChainId", "getCode", "getLogs", "getReceipt", "getTransaction"]);
      expect(opened.bundle.proofs!.state).toBeNull();
      expect(opened.bundle.answers).toHaveLength(opened.bundle.proofs!.unproven.length);

      const trusted = await verifyBundle(car, { trustedHash: trueHash });
      expect(check(trusted, "bundle.proofs").failure?.code).toBe("BUNDLE_CLAIMS_UNPROVEN");
      expect(trusted.verdict).toBe("fail");
      const untrusted = await verifyBundle(car);
      expect(check(untrusted, "bundle.proofs")).toMatchObject({ status: "pass", evidence: { anchor: { source: "the bundle" } } });
      expect((check(untrusted, "bundle.proofs").evidence.unproven as unknown[]).length).toBeGreaterThan(0);
      expect(untrusted.verdict).toBe("pass");
    } finally {
      await limited.stop();
    }
  });

  test("blocks whose receipts do not rebuild to their header's root (a receipt kind the verifier does not encode) are left out, and what needed them is declared unproven, not a failed build", async () => {
    const { bundle } = await openProvenanceBundle(new Uint8Array(await readFile(path.join(tempDir, "edition-1.car"))));
    // As a pre-Byzantium chain's or an L2's deposit receipts would: every receipt encodes to other bytes than the trie holds.
    const foreignReceipts = await startFaultyRpcProxy({
      targetUrl: fixture.rpcUrl,
      faultFor: () => null,
      tamper: (method, answer) => {
        if (method !== "eth_getBlockReceipts" || !Array.isArray(answer.result)) return answer;
        return { ...answer, result: (answer.result as Array<{ cumulativeGasUsed: string }>).map((receipt) => ({ ...receipt, cumulativeGasUsed: `0x${(BigInt(receipt.cumulativeGasUsed) + 1n).toString(16)}` })) };
      },
    });
    try {
      const { car, proofsUnavailable } = await buildBundleThrough(foreignReceipts.url, bundle);
      expect(proofsUnavailable).toBeUndefined();
      const opened = await openProvenanceBundle(car);
      expect(opened.bundle.version).toBe(3);
      expect(opened.bundle.proofs!.blocks).toHaveLength(0);
      const methods = new Set(opened.bundle.proofs!.unproven.map((claim) => (JSON.parse(claim.question) as [string])[0]));
      expect(methods).toContain("getLogs");
      expect(methods).toContain("getReceipt");
      // State proofs do not depend on receipts: calls stay proven.
      expect(methods).not.toContain("call");
      expect(check(await verifyBundle(car, { trustedHash: trueHash }), "bundle.proofs").failure?.code).toBe("BUNDLE_CLAIMS_UNPROVEN");
    } finally {
      await foreignReceipts.stop();
    }
  });

  test("headers with fields the verifier does not know (a newer fork, a chain of its own) give an answers-only bundle that says why (the API sends it as X-Bundle-Proofs-Unavailable)", async () => {
    const { bundle } = await openProvenanceBundle(new Uint8Array(await readFile(path.join(tempDir, "edition-1.car"))));
    // A header field dropped from the RPC's block: the rebuilt header no longer hashes to the block's hash.
    const unknownFields = await startFaultyRpcProxy({
      targetUrl: fixture.rpcUrl,
      faultFor: () => null,
      tamper: (method, answer) => {
        if (method !== "eth_getBlockByNumber" || answer.result === null || typeof answer.result !== "object") return answer;
        const { requestsHash: _dropped, ...block } = answer.result as Record<string, unknown>;
        return { ...answer, result: block };
      },
    });
    try {
      const { car, proofsUnavailable } = await buildBundleThrough(unknownFields.url, bundle);
      expect(proofsUnavailable).toMatch(/fields this encoder does not know/);
      const opened = await openProvenanceBundle(car);
      expect(opened.bundle.version).toBe(2);
      expect((await verifyBundle(car)).verdict).toBe("pass");
    } finally {
      await unknownFields.stop();
    }
  });

  test("a version 2 bundle (answers only) still replays, and is refused with --trust-block: BUNDLE_HAS_NO_PROOFS", async () => {
    const { bundle } = await openProvenanceBundle(new Uint8Array(await readFile(path.join(tempDir, "edition-1.car"))));
    // Built as before proofs: the recorded answers only.
    const { car: v2 } = await buildProvenanceBundle({
      chain: await createRpcChainReader(createPublicClient({ transport: http(fixture.rpcUrl) }), { blockNumber: BigInt(bundle.pinnedBlock.number) }),
      content: createGatewayContentSource({ gatewayUrl: fixture.platform.server.url }),
      factory: fixture.factory,
      factoryFromBlock: BigInt(bundle.factoryFromBlock),
      contract: fixture.collection,
      editionId: 1n,
    });
    const opened = await openProvenanceBundle(v2);
    expect(opened.bundle.version).toBe(2);
    expect(opened.bundle.proofs).toBeUndefined();
    const replayed = await verifyBundle(v2);
    expect(replayed.verdict).toBe("pass");
    expect(replayed.checks.map((entry) => entry.name)).not.toContain("bundle.proofs");
    expect(await rejection(openProvenanceBundle(v2, "v2", { trustedBlockHash: trueHash }))).toMatchObject({ code: "BUNDLE_HAS_NO_PROOFS" });
  });
});

describe("vermilion-verify (spawned)", () => {
  test("verifies a token and, at a pinned block, prints byte-identical reports", async () => {
    const block = (await createPublicClient({ transport: http(fixture.rpcUrl) }).getBlockNumber()).toString();
    const args = ["--rpc", fixture.rpcUrl, "--factory", fixture.factory, "--contract", fixture.collection, "--token", "1000001", "--gateway", fixture.platform.server.url, "--block", block, "--chain-id", "31337"];
    const [first, second] = await Promise.all([runVerifyCli(args), runVerifyCli(args)]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const report = JSON.parse(first.stdout) as TokenReport;
    expect(report).toMatchObject({ verdict: "pass", subject: { tokenId: "1000001", editionId: "1", serial: 1 }, pinnedBlock: { number: block } });
  });

  test("verifies an edition with a progress bar, signs the report, and --check-report accepts it and refuses an edit", async () => {
    const out = path.join(tempDir, "edition.json");
    const signKey = generatePrivateKey();
    const result = await runVerifyCli(["--rpc", fixture.rpcUrl, "--factory", fixture.factory, "--contract", fixture.collection, "--edition", "1", "--gateway", fixture.platform.server.url, "--out", out, "--sign-key", signKey]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("3/3 tokens");
    const report = JSON.parse(await readFile(out, "utf8")) as EditionReport;
    expect(report).toMatchObject({ verdict: "pass", signature: { signer: privateKeyToAccount(signKey).address, scheme: "EIP-191" } });
    expect(report.reports).toHaveLength(3);

    const checked = await runVerifyCli(["--check-report", out, "--signer", privateKeyToAccount(signKey).address]);
    expect(checked.code, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ valid: true, signer: privateKeyToAccount(signKey).address, canonical: true });

    // Re-derived from the chain and the gateway at the report's pinned block: the same signed bytes.
    const reproduced = await runVerifyCli(["--check-report", out, "--signer", privateKeyToAccount(signKey).address, "--rpc", fixture.rpcUrl, "--factory", fixture.factory, "--gateway", fixture.platform.server.url]);
    expect(reproduced.code, reproduced.stderr).toBe(0);
    expect(JSON.parse(reproduced.stdout)).toMatchObject({ valid: true, reproduced: true });

    const edited = path.join(tempDir, "edited.json");
    await writeFile(edited, (await readFile(out, "utf8")).replace('"serial":3', '"serial":4'));
    const refused = await runVerifyCli(["--check-report", edited, "--signer", privateKeyToAccount(signKey).address]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ valid: false });

    // Correctly signed, but not by a signer named: refused, whoever signed it.
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    const notNamed = await runVerifyCli(["--check-report", out, "--signer", stranger]);
    expect(notNamed.code).toBe(1);
    expect(JSON.parse(notNamed.stdout)).toMatchObject({ valid: false, signer: privateKeyToAccount(signKey).address, reason: expect.stringContaining("not a signer you named") });
    const nobodyNamed = await runVerifyCli(["--check-report", out]);
    expect(nobodyNamed.code).toBe(1);
    expect(JSON.parse(nobodyNamed.stdout)).toMatchObject({ valid: false, reason: expect.stringContaining("no trusted signer was named") });
  });

  test("--car verifies from the bundle alone, and with --rpc cross-checks the bundle's chain data", async () => {
    const car = path.join(tempDir, "edition-1.car");
    const offline = await runVerifyCli(["--car", car, "--factory", fixture.factory, "--token", "1000002"]);
    expect(offline.code, offline.stderr).toBe(0);
    expect((JSON.parse(offline.stdout) as TokenReport).verdict).toBe("pass");
    const crossChecked = await runVerifyCli(["--car", car, "--rpc", fixture.rpcUrl, "--factory", fixture.factory, "--token", "1000002"]);
    expect(crossChecked.code, crossChecked.stderr).toBe(0);
    expect(check(JSON.parse(crossChecked.stdout) as TokenReport, "bundle.chainData").status).toBe("pass");
    // --trust-block with the chain's own hash of the pinned block: the bundle.proofs check says what was trusted.
    const { bundle } = await openProvenanceBundle(new Uint8Array(await readFile(car)));
    const trustBlock = (await createPublicClient({ transport: http(fixture.rpcUrl) }).getBlock({ blockNumber: BigInt(bundle.pinnedBlock.number) })).hash;
    const trusted = await runVerifyCli(["--car", car, "--factory", fixture.factory, "--token", "1000002", "--trust-block", trustBlock]);
    const proofsCheck = check(JSON.parse(trusted.stdout) as TokenReport, "bundle.proofs");
    expect(proofsCheck.evidence.anchor).toEqual({ blockNumber: bundle.pinnedBlock.number, blockHash: trustBlock, source: "--trust-block" });
    expect(proofsCheck).toMatchObject({ status: "pass", evidence: { unproven: [], stateProofs: "verified" } });
    expect(trusted.code, trusted.stderr).toBe(0);
    const untrusted = check(JSON.parse(offline.stdout) as TokenReport, "bundle.proofs");
    expect(untrusted).toMatchObject({ status: "pass", evidence: { anchor: { source: "the bundle" } } });
    const badHash = await runVerifyCli(["--car", car, "--factory", fixture.factory, "--token", "1000002", "--trust-block", "0x1234"]);
    expect(badHash.code).toBe(2);
    expect(badHash.stderr).toContain("vermilion-verify: --trust-block");
  });

  test("--check-report re-derives a signed report from a version 3 bundle at the same block, offline and trusting only the report's block hash", async () => {
    const car = path.join(tempDir, "edition-1.car");
    const { bundle } = await openProvenanceBundle(new Uint8Array(await readFile(car)));
    const out = path.join(tempDir, "token-at-bundle-block.json");
    const signKey = generatePrivateKey();
    const made = await runVerifyCli(["--rpc", fixture.rpcUrl, "--factory", fixture.factory, "--contract", fixture.collection, "--token", "1000001", "--gateway", fixture.platform.server.url, "--block", bundle.pinnedBlock.number, "--out", out, "--sign-key", signKey]);
    expect(made.code, made.stderr).toBe(0);
    const report = JSON.parse(await readFile(out, "utf8")) as TokenReport;
    const checked = await runVerifyCli(["--check-report", out, "--signer", privateKeyToAccount(signKey).address, "--car", car, "--factory", fixture.factory, "--trust-block", report.pinnedBlock.hash]);
    expect(checked.code, checked.stderr + checked.stdout).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ valid: true, reproduced: true, bundleChecks: [{ name: "bundle.proofs", status: "pass" }] });
  });

  test("bad arguments exit with code 2 and name the flag; an unreachable chain exits with 3", async () => {
    const cases: Array<[string[], string]> = [
      [["--rpc", "not-a-url", "--factory", fixture.factory, "--contract", fixture.collection, "--token", "1"], "--rpc"],
      [["--rpc", fixture.rpcUrl, "--factory", fixture.factory, "--contract", fixture.collection, "--token", "abc"], "--token"],
      [["--rpc", fixture.rpcUrl, "--factory", fixture.factory, "--contract", "0x1234", "--token", "1"], "--contract"],
      [["--rpc", fixture.rpcUrl, "--contract", fixture.collection, "--token", "1000001", "--gateway", fixture.platform.server.url], "--factory"],
      [["--rpc", fixture.rpcUrl, "--factory", fixture.factory, "--contract", fixture.collection, "--token", "1000001"], "--gateway"],
      [["--bogus"], "--bogus"],
    ];
    const unreachable = ["--rpc", "http://127.0.0.1:1", "--factory", fixture.factory, "--contract", fixture.collection, "--token", "1000001", "--gateway", fixture.platform.server.url];
    const [results, down] = await Promise.all([Promise.all(cases.map(([args]) => runVerifyCli(args))), runVerifyCli(unreachable)]);
    for (const [index, result] of results.entries()) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`vermilion-verify: ${cases[index]![1]}`);
    }
    // A chain that cannot be reached is not a failed verdict: exit 3, with the catalogue code.
    expect(down.code, down.stderr).toBe(3);
    expect(down.stderr).toContain("CHAIN_UNAVAILABLE");
  });
});
