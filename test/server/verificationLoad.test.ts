import type { Address } from "viem";
import type { StartAnvilReturnType } from "../support/startAnvil.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import http from "node:http";

import { CarReader } from "@ipld/car/reader";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { listenOnLoopback } from "../support/listen.js";
import { createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { startAnvil } from "../support/startAnvil.js";
import { startTestPlatform } from "../support/startTestPlatform.js";
import { samplePng } from "../storage/mediaSamples.js";

/**
 * Verification under load, over HTTP against a real Anvil (behind a proxy that can hold the verifier's
 * `eth_getCode` calls, so work stays in flight for as long as a test needs) and the embedded store:
 * answers are computed once, media is hashed once per CID, and work past the bounds is refused.
 */

interface GatingProxy {
  url: string;
  /** While closed, `eth_getCode` calls (only verifications make them after start) wait. */
  close(): void;
  open(): void;
  held(): number;
  stop(): Promise<void>;
}

async function startGatingProxy(targetUrl: string): Promise<GatingProxy> {
  let closed = false;
  let waiting: Array<() => void> = [];
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const calls = [JSON.parse(body) as { method: string } | Array<{ method: string }>].flat();
    if (closed && calls.some((call) => call.method === "eth_getCode")) await new Promise<void>((resolve) => waiting.push(resolve));
    const upstream = await fetch(targetUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
    response.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    close: () => void (closed = true),
    open() {
      closed = false;
      for (const release of waiting) release();
      waiting = [];
    },
    held: () => waiting.length,
  };
}

let anvil: StartAnvilReturnType;
let proxy: GatingProxy;
let platform: TestPlatform;
let collection: Address;
/** Edition 2's media. */
let mediaCid: string;
const collector: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

/** A counter or gauge from /metrics (0 when the series has not appeared yet). */
async function metric(name: string, labels = ""): Promise<number> {
  const text = await (await fetch(`${platform.server.url}/metrics`)).text();
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line ? Number(line.split(" ")[1]) : 0;
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(anvil.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return ((await response.json()) as { result: unknown }).result;
}

/** Waits until the index has reached the chain's head, so every answer is pinned to the same block. */
async function waitForIndex(): Promise<number> {
  const head = Number(await rpc("eth_blockNumber"));
  await until(async () => {
    const health = await platform.call<{ indexedBlock: string | null }>("GET", "/api/health");
    return health.body.indexedBlock !== null && Number(health.body.indexedBlock) >= head;
  }, `the index to reach block ${head}`);
  return head;
}

beforeAll(async () => {
  anvil = await startAnvil();
  proxy = await startGatingProxy(anvil.rpcUrl);
  platform = await startTestPlatform(
    "verification-load",
    { RPC_URL: proxy.url, VERIFICATION_MAX_RUNNING: "1", VERIFICATION_MAX_QUEUED: "1", VERIFICATION_MAX_PER_CLIENT: "1" },
    // Clients named by a header: every test request comes from one address.
    { clientKey: (request) => request.get("x-client") ?? request.ip ?? "unknown" },
  );
  const issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!);
  collection = issuer.collection;
  // Edition 1 for the bundle, job and bound tests; edition 2's media is verified by the media test alone.
  for (const [editionId, side] of [[1, 40], [2, 41]] as const) {
    const form = new FormData();
    for (const [name, value] of Object.entries({ name: `Load ${editionId}`, description: "Verified under load", maxSupply: "5", license: "CC0-1.0" })) {
      form.append(name, value);
    }
    form.append("media", new Blob([new Uint8Array(samplePng(side, side))]), "load.png");
    const created = await fetch(`${platform.server.url}/api/collections/${collection}/editions`, {
      method: "POST",
      headers: { authorization: `Bearer ${issuer.apiKey}` },
      body: form,
    });
    const edition = (await created.json()) as { mediaCid: string };
    if (created.status !== 201) throw new Error(`edition creation failed: ${JSON.stringify(edition)}`);
    if (editionId === 2) mediaCid = edition.mediaCid;
    const accepted = await platform.call<{ jobId: string }>("POST", `/api/collections/${collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": `verification-load-${editionId}` },
      body: { to: collector, quantity: 3 },
    });
    await waitForJob(platform.call, issuer.apiKey, accepted.body.jobId);
  }
  await waitForIndex();
});

afterAll(async () => {
  proxy?.open();
  await platform?.stop();
  await proxy?.stop();
  await anvil?.stop();
});

describe("verification answers are computed once", () => {
  test("a bundle asked for by 20 clients at once is built once, and every client gets the same bytes", async () => {
    const before = await metric("vermilion_verification_runs_total", '{subject="bundle"}');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        fetch(`${platform.server.url}/api/collections/${collection}/editions/1/bundle.car`, { headers: { "x-client": `reader-${index}` } }),
      ),
    );
    const bodies = await Promise.all(responses.map(async (response) => Buffer.from(await response.arrayBuffer())));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(new Set(bodies.map((body) => body.toString("base64"))).size).toBe(1);
    expect(await metric("vermilion_verification_runs_total", '{subject="bundle"}')).toBe(before + 1);

    // Asked again at the same indexed block: the kept bundle, no new build.
    const again = await fetch(`${platform.server.url}/api/collections/${collection}/editions/1/bundle.car`);
    expect(Buffer.from(await again.arrayBuffer()).equals(bodies[0]!)).toBe(true);
    expect(await metric("vermilion_verification_runs_total", '{subject="bundle"}')).toBe(before + 1);
  });

  test("after the chain moves, within VERIFICATION_SNAPSHOT_SECONDS, the bundle pinned before is served again, not rebuilt", async () => {
    const route = `${platform.server.url}/api/collections/${collection}/editions/1/bundle.car`;
    const first = Buffer.from(await (await fetch(route, { headers: { "x-client": "snapshot-a" } })).arrayBuffer());
    const builds = await metric("vermilion_verification_runs_total", '{subject="bundle"}');
    await rpc("evm_mine");
    await waitForIndex();
    const again = await fetch(route, { headers: { "x-client": "snapshot-b" } });
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(first)).toBe(true);
    expect(await metric("vermilion_verification_runs_total", '{subject="bundle"}')).toBe(builds);
  });

  test("an edition verification asked twice at the same indexed block is one job", async () => {
    const first = await platform.call<{ jobId: string }>("POST", `/api/collections/${collection}/editions/1/verify`, { headers: { "x-client": "job-a" } });
    const second = await platform.call<{ jobId: string }>("POST", `/api/collections/${collection}/editions/1/verify`, { headers: { "x-client": "job-b" } });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.jobId).toBe(first.body.jobId);
    await until(async () => (await platform.call<{ state: string }>("GET", `/api/verification-jobs/${first.body.jobId}`)).body.state !== "running", "the job");
    expect((await platform.call<{ state: string; verdict: string }>("GET", `/api/verification-jobs/${first.body.jobId}`)).body).toMatchObject({
      state: "completed",
      verdict: "pass",
    });
  });

  test("a token verified again at a later block does not re-read or re-hash its media (kept by CID)", async () => {
    const route = `/api/tokens/${collection}/2000002/verify`;
    const mediaCar = await CarReader.fromBytes(new Uint8Array(await (await fetch(`${platform.server.url}/ipfs/${mediaCid}?format=car`)).arrayBuffer()));
    let mediaBlocks = 0;
    for await (const _block of mediaCar.blocks()) mediaBlocks++;

    const readsBefore = await metric("vermilion_verification_content_blocks_read_total");
    const runsBefore = await metric("vermilion_verification_runs_total", '{subject="token"}');
    const first = await platform.call<{ checks: Array<{ name: string; status: string; evidence: Record<string, unknown> }> }>("GET", route);
    const readsFirst = (await metric("vermilion_verification_content_blocks_read_total")) - readsBefore;

    // A new block moves the index, so the report is computed again; the media's CID has not changed.
    await rpc("evm_mine");
    await waitForIndex();
    const readsBetween = await metric("vermilion_verification_content_blocks_read_total");
    const second = await platform.call<typeof first.body>("GET", route);
    const readsSecond = (await metric("vermilion_verification_content_blocks_read_total")) - readsBetween;

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await metric("vermilion_verification_runs_total", '{subject="token"}')).toBe(runsBefore + 2);
    const mediaCheck = (report: typeof first.body) => report.checks.find((check) => check.name === "media.content");
    expect(mediaCheck(first.body)?.status).toBe("pass");
    expect(mediaCheck(second.body)).toEqual(mediaCheck(first.body));
    expect(mediaBlocks).toBeGreaterThan(0);
    expect(readsSecond).toBe(readsFirst - mediaBlocks);
  });
});

describe("verification work is bounded per client and in total", () => {
  test("past a client's share: 429 VERIFICATION_BUSY; past the queue: 503 VERIFICATION_QUEUE_FULL; both with Retry-After", async () => {
    await waitForIndex();
    proxy.close();
    try {
      // Client A's verification runs (held at the chain) and takes the one slot.
      const running = fetch(`${platform.server.url}/api/tokens/${collection}/1000001/verify`, { headers: { "x-client": "a" } });
      await until(async () => proxy.held() > 0, "client A's verification to reach the chain");

      const busy = await fetch(`${platform.server.url}/api/tokens/${collection}/1000003/verify`, { headers: { "x-client": "a" } });
      expect(busy.status).toBe(429);
      expect(((await busy.json()) as { error: { code: string } }).error.code).toBe("VERIFICATION_BUSY");
      expect(Number(busy.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

      // Client B waits in the one queue place.
      const queued = fetch(`${platform.server.url}/api/tokens/${collection}/1000003/verify`, { headers: { "x-client": "b" } });
      await until(async () => (await metric("vermilion_verification_queue", '{state="queued"}')) === 1, "client B to be queued");

      // Edition 2: edition 1's job, started above, is still the answer within its snapshot.
      const full = await fetch(`${platform.server.url}/api/collections/${collection}/editions/2/verify`, { method: "POST", headers: { "x-client": "c" } });
      expect(full.status).toBe(503);
      expect(((await full.json()) as { error: { code: string } }).error.code).toBe("VERIFICATION_QUEUE_FULL");
      expect(Number(full.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

      proxy.open();
      const [runningResponse, queuedResponse] = await Promise.all([running, queued]);
      expect([runningResponse.status, queuedResponse.status]).toEqual([200, 200]);
    } finally {
      proxy.open();
    }
    // The places are given back: client A may verify again.
    const after = await fetch(`${platform.server.url}/api/tokens/${collection}/1000003/verify`, { headers: { "x-client": "a" } });
    expect(after.status).toBe(200);
  });
});
