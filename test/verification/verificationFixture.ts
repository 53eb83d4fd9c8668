import type { Address, Hash, Hex, LocalAccount } from "viem";
import type { ContentStore } from "../../server/storage/contentStore.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import { createPublicClient, createWalletClient, http as viemHttp } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { issuingAccount } from "../support/issuingAccount.js";
import { listenOnLoopback } from "../support/listen.js";
import { foundry } from "viem/chains";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { createEmbeddedStore } from "../../server/storage/embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../../server/storage/metadata/buildEditionMetadata.js";
import { TEST_POSTGRES_URL } from "../support/openTestDatabase.js";
import { createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { startTestPlatform } from "../support/startTestPlatform.js";
import { samplePng } from "../storage/mediaSamples.js";

export const platformSigner = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[0]!);
export const collectorA = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[1]!);
export const collectorB = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[2]!);

/**
 * One platform (real Anvil, PostgreSQL, embedded IPFS store) holding the verification tests' data:
 * - edition 1, created and minted through the API (3 serials to collector A); serial 1 then moves to
 *   collector B and serial 3 is burned.
 * - edition 2, "media altered": its documents and mediaCid name an altered image, but the SHA-256
 *   committed on chain is the original's (content in `sideStore`).
 * - edition 3, "metadata republished": honest media, but documents that claim another edition.
 */
export interface VerificationFixture {
  platform: TestPlatform;
  rpcUrl: string;
  factory: Address;
  collection: Address;
  databaseUrl: string;
  /** Holds editions 2 and 3's content, as an issuer's own node would. */
  sideStore: ContentStore;
  edition1: { metadataCid: string; mediaCid: string };
  /** The issuer's address as GET /api/issuers/me answers it (lowercase), or null before issuer accounts. */
  issuerAddress: string | null;
  /** Sends a collection transaction from a dev account and waits for its receipt. */
  send(from: LocalAccount, functionName: string, args: readonly unknown[], gas?: bigint): Promise<{ hash: Hash; status: string; blockNumber: bigint; blockHash: Hex }>;
  /** Waits until the index has reached the chain's head. */
  waitForIndex(): Promise<void>;
  stop(): Promise<void>;
}

async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `vermilion_verify_${randomUUID().replaceAll("-", "")}`;
  const admin = await openPostgres({ connectionString: TEST_POSTGRES_URL });
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = await openPostgres({ connectionString: TEST_POSTGRES_URL });
      await dropper.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.close();
    },
  };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function startVerificationFixture(): Promise<VerificationFixture> {
  const database = await freshPostgresDatabase();
  const sideDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-verify-side-"));
  const platform = await startTestPlatform("verify", { DATABASE_URL: database.url });
  const sideStore = await createEmbeddedStore({ dataDir: sideDir, syncWrites: false });
  const { server, call } = platform;
  const chain = { ...foundry, rpcUrls: { default: { http: [server.rpcUrl] } } };
  const publicClient = createPublicClient({ chain, transport: viemHttp(server.rpcUrl), pollingInterval: 50 });

  const send: VerificationFixture["send"] = async (from, functionName, args, gas) => {
    const wallet = createWalletClient({ account: from, chain, transport: viemHttp(server.rpcUrl) });
    const hash = await wallet.writeContract({
      address: collection,
      abi: vermilionCollectionAbi,
      functionName: functionName as "mint",
      args: args as never,
      ...(gas ? { gas } : {}),
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    return { hash, status: receipt.status, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash };
  };

  const issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!);
  const collection = issuer.collection;

  // Edition 1 through the API, as an issuer would make it.
  const form = new FormData();
  for (const [name, value] of Object.entries({ name: "Verified Seal", description: "For auditors", maxSupply: "3", license: "CC0-1.0" })) form.append(name, value);
  form.append("media", new Blob([new Uint8Array(samplePng(12, 12))]), "seal.png");
  const createdResponse = await fetch(`${server.url}/api/collections/${collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${issuer.apiKey}` },
    body: form,
  });
  const created = (await createdResponse.json()) as { editionId: string; metadataCid: string; mediaCid: string };
  if (createdResponse.status !== 201) throw new Error(`edition creation failed: ${JSON.stringify(created)}`);
  const accepted = await call<{ jobId: string }>("POST", `/api/collections/${collection}/editions/1/mint`, {
    key: issuer.apiKey,
    headers: { "idempotency-key": "verify-fixture-1" },
    body: { to: collectorA.address, quantity: 3 },
  });
  await waitForJob(call, issuer.apiKey, accepted.body.jobId);
  await send(collectorA, "transferFrom", [collectorA.address, collectorB.address, 1_000_001n]);
  await send(collectorA, "burn", [1_000_003n, 7n]);

  // Editions 2 and 3 straight on chain with the collection's issuing key, content in the side store: the
  // platform's key for a collection made the old way, else the issuer's operating key (derived from the
  // dev mnemonic at the issuer's account index, found by its role, and given gas).
  const issuing = await issuingAccount(publicClient as never, collection);
  const me = await call<{ address?: string | null }>("GET", "/api/issuers/me", { key: issuer.apiKey });
  const original = samplePng(10, 10);
  const altered = samplePng(11, 10);
  const alteredMedia = await sideStore.addFile({ content: altered });
  const originalMedia = await sideStore.addFile({ content: original });
  const createEdition = async (editionId: number, media: { cid: string; sha256: string }, contentSha256: string, claimedEditionId = editionId) => {
    const metadata = await buildEditionMetadata(
      { store: sideStore },
      {
        edition: {
          collection,
          editionId: String(claimedEditionId),
          title: `Edition ${editionId}`,
          description: "",
          maxSupply: 2,
          issuer: issuing.address,
          license: "CC0-1.0",
          created: "2026-11-29T10:00:00Z",
          media: { ...media, kind: "image" },
        },
      },
    );
    const receipt = await send(issuing, "createEdition", [
      {
        maxSupply: 2,
        metadataCid: metadata.metadataCid.toString(),
        mediaCid: media.cid,
        contentSha256: `0x${contentSha256}`,
        royaltyReceiver: issuing.address,
        royaltyBps: 0,
        transferPolicy: 0,
        holdSeconds: 0,
      },
    ]);
    if (receipt.status !== "success") throw new Error(`edition ${editionId} was not created`);
    await send(issuing, "mint", [BigInt(editionId), collectorA.address, 1n]);
  };
  await createEdition(2, { cid: alteredMedia.cid.toString(), sha256: sha256Hex(altered) }, sha256Hex(original));
  await createEdition(3, { cid: originalMedia.cid.toString(), sha256: sha256Hex(original) }, sha256Hex(original), 9);

  const waitForIndex = async () => {
    const head = Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
    for (let attempt = 0; attempt < 300; attempt++) {
      const health = await call<{ indexedBlock: string | null }>("GET", "/api/health");
      if (health.body.indexedBlock !== null && Number(health.body.indexedBlock) >= head) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the index did not reach block ${head}`);
  };
  await waitForIndex();

  return {
    platform,
    rpcUrl: server.rpcUrl,
    factory: server.factoryAddress as Address,
    collection,
    databaseUrl: database.url,
    sideStore,
    edition1: { metadataCid: created.metadataCid, mediaCid: created.mediaCid },
    issuerAddress: me.body.address?.toLowerCase() ?? null,
    send,
    waitForIndex,
    async stop() {
      await platform.stop();
      await sideStore.close();
      await rm(sideDir, { recursive: true, force: true });
      await database.drop();
    },
  };
}

/** A gateway in front of the platform's that serves `replace(cid)`'s bytes instead, when it returns some. */
export async function startTamperingGateway(upstreamUrl: string, replace: (cid: string) => Uint8Array | undefined): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = http.createServer(async (request, response) => {
    const cid = /^\/ipfs\/([^/?]+)/.exec(request.url ?? "")?.[1];
    const substitute = cid ? replace(cid) : undefined;
    if (substitute) {
      response.writeHead(200, { "content-type": "application/vnd.ipld.raw" }).end(Buffer.from(substitute));
      return;
    }
    const upstream = await fetch(`${upstreamUrl}${request.url}`, { headers: { accept: request.headers.accept ?? "*/*" } });
    response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/octet-stream" });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  return listenOnLoopback(server);
}
