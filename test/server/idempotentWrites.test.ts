import type { Address } from "viem";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient, ApiResponse } from "../support/httpClient.js";

import { randomUUID } from "node:crypto";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { errorCode } from "../support/httpClient.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { startTestPlatform, type TestPlatform } from "../support/startTestPlatform.js";
import { samplePng } from "../storage/mediaSamples.js";

let platform: TestPlatform;
let server: RunningServer;
let call: ApiClient;
let issuer: { issuerId: string; apiKey: string; collection: Address };

// Editions above 20 metadata documents go to a job (202), so one test covers the job answer cheaply.
const JOB_THRESHOLD_DOCUMENTS = 20;

beforeAll(async () => {
  platform = await startTestPlatform("idempotent-writes", { EDITION_JOB_THRESHOLD_DOCUMENTS: String(JOB_THRESHOLD_DOCUMENTS) });
  ({ server, call } = platform);
  issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!);
});

afterAll(async () => {
  await platform?.stop();
});

function uploadForm(fields: Record<string, string>, media: Buffer): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("media", new Blob([new Uint8Array(media)]), "media.png");
  return form;
}

async function postEdition(fields: Record<string, string>, media: Buffer, idempotencyKey: string): Promise<ApiResponse<Record<string, unknown>>> {
  const response = await fetch(`${server.url}/api/collections/${issuer.collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${issuer.apiKey}`, "idempotency-key": idempotencyKey },
    body: uploadForm(fields, media),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

async function editionCountOnChain(): Promise<bigint> {
  const client = createPublicClient({ transport: http(server.rpcUrl) });
  return client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "editionCount" });
}

async function editionsNamed(name: string): Promise<unknown[]> {
  const { body } = await call<{ editions: Array<{ name: string }> }>("GET", `/api/collections/${issuer.collection}/editions`);
  return body.editions.filter((edition) => edition.name === name);
}

/** Polls an edition job until it ends; its final state. */
async function editionJobState(jobId: string): Promise<string> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const { body } = await call<{ state: string }>("GET", `/api/edition-jobs/${jobId}`, { key: issuer.apiKey });
    if (body.state === "completed" || body.state === "failed") return body.state;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`edition job ${jobId} did not end`);
}

describe("an edition upload with an Idempotency-Key", () => {
  test("retried, also while the first is still running, creates one edition in the database and on chain; the retry gets the first answer", async () => {
    const key = randomUUID();
    const media = samplePng(24, 24);
    const fields = { name: "Retried upload", maxSupply: "5" };
    const before = await editionCountOnChain();

    // A client that timed out sends the same upload again while the first is still being created.
    const [first, twin] = await Promise.all([postEdition(fields, media, key), postEdition(fields, media, key)]);
    const retry = await postEdition(fields, media, key);

    const answers = [first, twin, retry].filter((answer) => answer.status === 201);
    const waitingTwins = [first, twin].filter((answer) => answer.status !== 201);
    for (const waiting of waitingTwins) expect(errorCode(waiting)).toBe("IDEMPOTENCY_REQUEST_IN_PROGRESS");
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(new Set(answers.map((answer) => answer.body.editionId)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.body.txHash)).size).toBe(1);
    expect(await editionsNamed("Retried upload")).toHaveLength(1);
    expect(await editionCountOnChain()).toBe(before + 1n);
  });

  test("another upload with that key (other fields, or another file) is refused with IDEMPOTENCY_KEY_REUSED and creates nothing", async () => {
    const key = randomUUID();
    const media = samplePng(20, 20);
    const created = await postEdition({ name: "Keyed once", maxSupply: "3" }, media, key);
    expect(created.status).toBe(201);
    const before = await editionCountOnChain();

    const otherFields = await postEdition({ name: "Keyed twice", maxSupply: "3" }, media, key);
    const otherFile = await postEdition({ name: "Keyed once", maxSupply: "3" }, samplePng(21, 20), key);

    expect([otherFields.status, errorCode(otherFields)]).toEqual([409, "IDEMPOTENCY_KEY_REUSED"]);
    expect([otherFile.status, errorCode(otherFile)]).toEqual([409, "IDEMPOTENCY_KEY_REUSED"]);
    expect(await editionsNamed("Keyed twice")).toHaveLength(0);
    expect(await editionCountOnChain()).toBe(before);
  });

  test("a refused upload releases its key: the corrected upload with it is created", async () => {
    const key = randomUUID();
    const refused = await postEdition({ name: "Corrected", maxSupply: "0" }, samplePng(18, 18), key);
    expect([refused.status, errorCode(refused)]).toEqual([400, "VALIDATION_FAILED"]);

    // A client reusing the key for the same upload after a 4xx gets a fresh run, not the 4xx replayed.
    const again = await postEdition({ name: "Corrected", maxSupply: "0" }, samplePng(18, 18), key);
    expect(errorCode(again)).toBe("VALIDATION_FAILED");
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    const corrected = await postEdition({ name: "Corrected", maxSupply: "2" }, samplePng(18, 18), key);
    expect(corrected.status).toBe(201);
    expect(await editionsNamed("Corrected")).toHaveLength(1);
  });

  test("a large edition's 202 job answer is replayed with its Location: one job, one edition", async () => {
    const key = randomUUID();
    const fields = { name: "Large retried", maxSupply: String(JOB_THRESHOLD_DOCUMENTS + 5) };
    const media = samplePng(22, 22);

    const accepted = await postEdition(fields, media, key);
    const retried = await postEdition(fields, media, key);

    expect(accepted.status).toBe(202);
    expect(retried.status).toBe(202);
    expect(retried.body.jobId).toBe(accepted.body.jobId);
    expect(retried.headers.get("location")).toBe(`/api/edition-jobs/${String(accepted.body.jobId)}`);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(await editionJobState(String(accepted.body.jobId))).toBe("completed");
    expect(await editionsNamed("Large retried")).toHaveLength(1);
    const { body } = await call<{ jobs: Array<{ jobId: string; kind: string }> }>("GET", "/api/jobs?kind=edition", { key: issuer.apiKey });
    expect(body.jobs.filter((listed) => listed.jobId === accepted.body.jobId)).toHaveLength(1);
  });
});

describe("other issuer writes with an Idempotency-Key", () => {
  test("a retried pause sends one transaction and answers its hash again", async () => {
    const key = randomUUID();
    const route = `/api/collections/${issuer.collection}/pause`;
    const first = await call<{ txHash: string }>("POST", route, { key: issuer.apiKey, headers: { "idempotency-key": key } });
    const retried = await call<{ txHash: string }>("POST", route, { key: issuer.apiKey, headers: { "idempotency-key": key } });
    const unpaused = await call("POST", `/api/collections/${issuer.collection}/unpause`, { key: issuer.apiKey, headers: { "idempotency-key": randomUUID() } });

    expect(first.status).toBe(200);
    expect(retried.body.txHash).toBe(first.body.txHash);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(unpaused.status).toBe(200);
  });

  test("a retried collection creation deploys one collection", async () => {
    const key = randomUUID();
    const body = { name: "Retried collection", symbol: "RTC" };
    const first = await call<{ address: string }>("POST", "/api/collections", { key: issuer.apiKey, body, headers: { "idempotency-key": key } });
    const retried = await call<{ address: string }>("POST", "/api/collections", { key: issuer.apiKey, body, headers: { "idempotency-key": key } });
    const { body: listed } = await call<{ collections: Array<{ name: string }> }>("GET", "/api/collections");

    expect(first.status).toBe(201);
    expect(retried.body.address).toBe(first.body.address);
    expect(listed.collections.filter((collection) => collection.name === "Retried collection")).toHaveLength(1);
  });

  test("a retried API key creation returns the one key again (it works); a key shorter than 16 characters is refused there", async () => {
    const adminKey = server.firstAdminApiKey!;
    const route = `/api/issuers/${issuer.issuerId}/keys`;
    const key = randomUUID();
    const first = await call<{ keyId: string; apiKey: string }>("POST", route, { key: adminKey, body: { label: "ci" }, headers: { "idempotency-key": key } });
    const retried = await call<{ keyId: string; apiKey: string }>("POST", route, { key: adminKey, body: { label: "ci" }, headers: { "idempotency-key": key } });
    const short = await call("POST", route, { key: adminKey, body: { label: "ci" }, headers: { "idempotency-key": "retry-1" } });

    expect(first.status).toBe(201);
    expect(retried.body).toEqual(first.body);
    expect((await call("GET", "/api/issuers/me", { key: retried.body.apiKey })).status).toBe(200);
    expect([short.status, (short.body as { error: { details: { field: string } } }).error.details.field]).toEqual([400, "headers.idempotency-key"]);
  });
});
