import type { Address } from "viem";
import type { EditionListView, EditionDetailView } from "../../server/views/editionView.js";
import type { RemotePinningTuning } from "../../server/startup/startRemotePinningRole.js";
import type { PinningService } from "../support/startPinningService.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, test } from "vitest";

import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../support/httpClient.js";
import { seedMigratedPglite } from "../support/pgliteTemplate.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { startPinningService } from "../support/startPinningService.js";
import { startTestPlatform } from "../support/startTestPlatform.js";
import { samplePng } from "../storage/mediaSamples.js";

const TOKEN = "pinning-service-token";
/** Short waits, so retries and polls happen within the test (production: seconds to an hour). */
const TUNING: RemotePinningTuning = { backoff: { retryBaseMs: 40, retryMaxMs: 400, pollBaseMs: 40, pollMaxMs: 200 }, idleMs: 50, requestTimeoutMs: 2_000 };
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function pinningService(): Promise<PinningService> {
  const service = await startPinningService({ token: TOKEN });
  cleanups.push(() => service.close());
  return service;
}

/** Creates an edition through the API with an image and a Chinese translation: media, thumbnail, metadata and localized metadata CIDs. */
async function postEdition(url: string, issuer: { apiKey: string; collection: Address }): Promise<{ editionId: string; mediaCid: string; metadataCid: string }> {
  const form = new FormData();
  const fields: Record<string, string> = {
    name: "Nine-Coloured Deer",
    description: "Cave 257",
    maxSupply: "3",
    royaltyBps: "0",
    transferPolicy: "free",
    attributes: "[]",
    license: "CC0",
    translations: JSON.stringify({ "zh-CN": { title: "九色鹿" } }),
  };
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("media", new Blob([new Uint8Array(samplePng(640, 480))]), "deer.png");
  const response = await fetch(`${url}/api/collections/${issuer.collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${issuer.apiKey}` },
    body: form,
  });
  const body = (await response.json()) as { editionId: string; mediaCid: string; metadataCid: string };
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body;
}

type RemotePinning = NonNullable<EditionDetailView["remotePinning"]>;

/** Reads the collection's editions until the first one's remote pinning satisfies `done` (or 30 s pass). */
async function waitForPinning(url: string, collection: Address, done: (pinning: RemotePinning) => boolean): Promise<RemotePinning> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = (await (await fetch(`${url}/api/collections/${collection}/editions`)).json()) as EditionListView;
    const pinning = list.editions[0]?.remotePinning;
    if (pinning && done(pinning)) return pinning;
    if (Date.now() > deadline) throw new Error(`remote pinning still ${JSON.stringify(pinning)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function metricSample(metrics: string, series: string): number | undefined {
  const line = metrics.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("remote pinning on the IPFS Pinning Service API (our own implementation of the spec: no public service is reachable here)", () => {
  test("an edition created through the API gets every CID pinned (queued → pinning → pinned) through a failing service's 500, 429 and malformed answers; the edition view and /metrics show it", async () => {
    const service = await pinningService();
    const platform = await startTestPlatform("remote-pins", { PINNING_SERVICE_URL: service.url, PINNING_SERVICE_TOKEN: TOKEN }, { remotePinning: TUNING });
    cleanups.push(() => platform.stop());
    const issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!);
    service.failNext(
      { kind: "status", status: 500 },
      { kind: "status", status: 429, retryAfter: "0", reason: "RATE_LIMITED" },
      { kind: "malformed" },
      { kind: "status", status: 503 },
    );

    const edition = await postEdition(platform.server.url, issuer);
    const pinning = await waitForPinning(platform.server.url, issuer.collection, (candidate) => candidate.status === "pinned");

    expect(pinning.pins.map((pin) => [pin.role, pin.status, pin.errorCode])).toEqual([
      ["media", "pinned", null],
      ["thumbnail", "pinned", null],
      ["metadata", "pinned", null],
      ["localizedMetadata", "pinned", null],
    ]);
    expect(pinning.pins.find((pin) => pin.role === "media")?.cid).toBe(edition.mediaCid);
    // Each CID: looked for, requested once, then polled through queued → pinning → pinned.
    for (const pin of pinning.pins) {
      const [request] = service.pinsOf(pin.cid);
      expect(service.pinsOf(pin.cid)).toEqual([{ requestid: request!.requestid, status: "pinned", name: `vermilion:31337:${issuer.collection.toLowerCase()}:${edition.editionId}:${pin.role}` }]);
      expect(service.requests.filter((line) => line === `GET /pins/${request!.requestid}`)).toHaveLength(2);
    }
    expect(service.requests.filter((line) => line === "POST /pins")).toHaveLength(4);

    const detail = (await platform.call<EditionDetailView>("GET", `/api/collections/${issuer.collection}/editions/${edition.editionId}`)).body;
    expect(detail.remotePinning).toEqual(pinning);
    const metrics = await (await fetch(`${platform.server.url}/metrics`)).text();
    expect(metricSample(metrics, 'vermilion_remote_pins{status="pinned"}')).toBe(4);
    expect(metricSample(metrics, 'vermilion_remote_pins{status="pending"}')).toBe(0);
    expect(metricSample(metrics, "vermilion_remote_pin_queue_oldest_age_seconds")).toBe(0);
    expect(metricSample(metrics, 'vermilion_remote_pin_failures_total{code="PINNING_SERVICE_UNAVAILABLE"}')).toBe(4);
  });

  test("a wrong token is reported per edition as PINNING_SERVICE_UNAUTHORIZED and not retried; a restart with the service down keeps the pins pending, and a restart with both fixed pins them", async () => {
    const service = await pinningService();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-remote-pins-restart-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    await seedMigratedPglite(path.join(dataDir, "db"));
    const start = (url: string, token: string) =>
      startServer(loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", PINNING_SERVICE_URL: url, PINNING_SERVICE_TOKEN: token }), { remotePinning: TUNING });

    // 1. The wrong token: every pin rejected with its code, each asked once.
    const first = await start(service.url, "not-the-token");
    let collection: Address;
    try {
      const issuer = await createIssuerWithCollection(createApiClient(first.url), first.firstAdminApiKey!);
      collection = issuer.collection;
      await postEdition(first.url, issuer);
      const rejected = await waitForPinning(first.url, collection, (pinning) => pinning.pins.every((pin) => pin.status === "rejected"));
      expect(rejected.status).toBe("rejected");
      expect(rejected.pins.map((pin) => pin.errorCode)).toEqual(Array(4).fill("PINNING_SERVICE_UNAUTHORIZED"));
      expect(rejected.pins.map((pin) => pin.attempts)).toEqual([1, 1, 1, 1]);
      const metrics = await (await fetch(`${first.url}/metrics`)).text();
      expect(metricSample(metrics, 'vermilion_remote_pins{status="rejected"}')).toBe(4);
      expect(metricSample(metrics, 'vermilion_remote_pin_failures_total{code="PINNING_SERVICE_UNAUTHORIZED"}')).toBe(4);
      // One look per pin (GET /pins?cid=…), refused: nothing was requested, nothing is retried.
      expect(service.requests).toHaveLength(4);
      // Let the embedded chain's periodic state dump (every second) include the edition.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      await first.stop();
    }

    // 2. Restarted with the token fixed but the service unreachable: the pins are tried again and wait, retrying.
    const down = await startPinningService({ token: TOKEN });
    await down.close();
    const second = await start(down.url, TOKEN);
    try {
      const waiting = await waitForPinning(second.url, collection, (pinning) => pinning.pins.every((pin) => pin.attempts >= 2));
      expect(waiting.status).toBe("pending");
      expect(new Set(waiting.pins.map((pin) => pin.errorCode))).toEqual(new Set(["PINNING_SERVICE_UNAVAILABLE"]));
    } finally {
      await second.stop();
    }

    // 3. Restarted with both fixed: the pending pins resume and are pinned.
    const third = await start(service.url, TOKEN);
    try {
      const pinned = await waitForPinning(third.url, collection, (pinning) => pinning.status === "pinned");
      expect(pinned.pins.map((pin) => [pin.status, pin.attempts, pin.errorCode])).toEqual(Array(4).fill(["pinned", 0, null]));
      expect(service.requests.filter((line) => line === "POST /pins")).toHaveLength(4);
    } finally {
      await third.stop();
    }
  });

  test("without a pinning service, editions show remotePinning: null and nothing is pinned remotely", async () => {
    const platform = await startTestPlatform("no-remote-pins");
    cleanups.push(() => platform.stop());
    const issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!);

    const edition = await postEdition(platform.server.url, issuer);

    const detail = (await platform.call<EditionDetailView>("GET", `/api/collections/${issuer.collection}/editions/${edition.editionId}`)).body;
    expect(detail.remotePinning).toBeNull();
    expect(await (await fetch(`${platform.server.url}/metrics`)).text()).not.toContain("vermilion_remote_pins{");
  });
});
