import type { Address } from "viem";
import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";
import type { EditionJobFaultPoint } from "../../server/editions/runEditionJob.js";
import type { EditionJobView } from "../../server/views/editionJobView.js";
import type { ApiClient } from "../support/httpClient.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { startAnvil } from "../../server/chain/startAnvil.js";
import { createApiClient } from "../support/httpClient.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { spawnServer } from "../support/spawnServer.js";
import { startTestPlatform, type TestPlatform } from "../support/startTestPlatform.js";
import { samplePng } from "../storage/mediaSamples.js";

// Past 100 documents an edition is built by a job: small enough for a test to cross quickly.
const JOB_ENV = { EDITION_JOB_THRESHOLD_DOCUMENTS: "100" };

function uploadForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("media", new Blob([new Uint8Array(samplePng(24, 24))]), "media.png");
  return form;
}

async function postEdition(baseUrl: string, collection: Address, apiKey: string, form: FormData) {
  const response = await fetch(`${baseUrl}/api/collections/${collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  });
  return { status: response.status, location: response.headers.get("location"), body: (await response.json()) as Record<string, unknown> };
}

async function waitForEditionJob(call: ApiClient, apiKey: string, jobId: string, timeoutMs = 90_000): Promise<EditionJobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await call<EditionJobView>("GET", `/api/edition-jobs/${jobId}`, { key: apiKey });
    if (job.status !== 200) throw new Error(`edition job ${jobId}: ${JSON.stringify(job.body)}`);
    if (job.body.state === "completed" || job.body.state === "failed") return job.body;
    if (Date.now() > deadline) throw new Error(`edition job ${jobId} still ${job.body.state}: ${JSON.stringify(job.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("large editions go through a job", () => {
  let platform: TestPlatform;
  let issuer: { issuerId: string; apiKey: string; collection: Address };
  // The job waits at its first progress report until the test has looked at it.
  let releaseProgress: () => void = () => {};
  let reachedProgress: () => void = () => {};
  const atProgress = new Promise<void>((resolve) => (reachedProgress = resolve));
  const progressHeld = new Promise<void>((resolve) => (releaseProgress = resolve));
  // A simulated crash: the step fails once at this point, and the runner resumes the job from its row.
  let failOnceAt: EditionJobFaultPoint | undefined;

  beforeAll(async () => {
    platform = await startTestPlatform("edition-jobs", JOB_ENV, {
      onEditionJobFaultPoint: async (point: EditionJobFaultPoint) => {
        if (point === failOnceAt) {
          failOnceAt = undefined;
          throw new Error(`simulated crash at ${point}`);
        }
        if (point !== "after-progress") return;
        reachedProgress();
        await progressHeld;
      },
    });
    issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!);
  });

  afterAll(async () => {
    releaseProgress();
    await platform?.stop();
  });

  test("answers 202 with the job, shows its progress, and completes with the metadata CID on chain", async () => {
    const { call, server } = platform;
    const accepted = await postEdition(
      server.url,
      issuer.collection,
      issuer.apiKey,
      uploadForm({
        name: "Thousand Buddhas",
        maxSupply: "1500",
        translations: JSON.stringify({ "zh-CN": { title: "千佛" } }),
        externalUrlTemplate: "https://museum.example/e/{editionId}/{serial}",
      }),
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const jobId = accepted.body.jobId as string;
    expect(accepted.location).toBe(`/api/edition-jobs/${jobId}`);
    expect(accepted.body).toMatchObject({ state: "queued", progress: { documentsWritten: 0, documentsTotal: 3_000 } });

    await atProgress;
    const building = await call<EditionJobView>("GET", `/api/edition-jobs/${jobId}`, { key: issuer.apiKey });
    expect(building.body).toMatchObject({ state: "building", progress: { documentsWritten: 1_000, documentsTotal: 3_000 }, edition: null });
    // Only the owner sees the job; nobody without a key does.
    const stranger = await createIssuerWithCollection(call, server.firstAdminApiKey!, "Another Museum");
    expect((await call("GET", `/api/edition-jobs/${jobId}`, { key: stranger.apiKey })).status).toBe(404);
    expect((await call("GET", `/api/edition-jobs/${jobId}`)).status).toBe(401);
    // A small edition of the same collection is not held up behind the build, and takes the id the job predicted.
    const small = await postEdition(server.url, issuer.collection, issuer.apiKey, uploadForm({ name: "Meanwhile", maxSupply: "5" }));
    expect(small.status, JSON.stringify(small.body)).toBe(201);
    expect(small.body.editionId).toBe("1");
    releaseProgress();

    const done = await waitForEditionJob(call, issuer.apiKey, jobId);
    expect(done.state, JSON.stringify(done)).toBe("completed");
    expect(done.progress).toEqual({ documentsWritten: 3_000, documentsTotal: 3_000 });
    // The job's documents name the id the chain gave it (rebuilt, since the small edition took the predicted one).
    expect(done.edition).toMatchObject({ collection: issuer.collection, editionId: "2", mediaType: "png" });

    const client = createPublicClient({ transport: http(server.rpcUrl) });
    const onChain = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [2n] });
    expect(onChain.metadataCid).toBe(done.edition!.metadataCid);
    expect(onChain.maxSupply).toBe(1_500n);
    const last = (await (await fetch(`${server.url}/ipfs/${done.edition!.metadataCid}/1500.json`)).json()) as Record<string, unknown>;
    expect(last).toMatchObject({ name: "Thousand Buddhas #1500", external_url: "https://museum.example/e/2/1500" });
    const localized = (await (await fetch(`${server.url}/ipfs/${done.edition!.localizedMetadataCid}/zh-CN/1500.json`)).json()) as Record<string, unknown>;
    expect(localized.name).toBe("千佛 #1500");
    const listed = await call<{ editions: Array<{ editionId: string; metadataCid: string }> }>("GET", `/api/collections/${issuer.collection}/editions`);
    expect(listed.body.editions.map((edition) => edition.editionId)).toEqual(["1", "2"]);
    expect(listed.body.editions[1]).toMatchObject({ metadataCid: done.edition!.metadataCid });
  });

  test.each<EditionJobFaultPoint>(["before-send", "after-send"])("a job that stops %s resumes to exactly one edition", async (point) => {
    const { call, server } = platform;
    const client = createPublicClient({ transport: http(server.rpcUrl) });
    const editionCount = () => client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "editionCount" });
    const before = await editionCount();
    failOnceAt = point;
    const accepted = await postEdition(server.url, issuer.collection, issuer.apiKey, uploadForm({ name: `Stopped ${point}`, maxSupply: "150" }));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const done = await waitForEditionJob(call, issuer.apiKey, accepted.body.jobId as string);
    expect(failOnceAt).toBeUndefined();
    expect(done.state, JSON.stringify(done)).toBe("completed");
    expect(await editionCount()).toBe(before + 1n);
    expect(done.edition!.editionId).toBe((before + 1n).toString());
    const onChain = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [before + 1n] });
    expect(onChain.metadataCid).toBe(done.edition!.metadataCid);
  });

  test("a small edition keeps the synchronous 201", async () => {
    const created = await postEdition(platform.server.url, issuer.collection, issuer.apiKey, uploadForm({ name: "Small", maxSupply: "50" }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ editionId: "5" });
  });
});

describe("an edition job killed after its transaction was mined", () => {
  const ADMIN_API_KEY = "test-admin-key-0123456789abcdef";
  let anvil: StartAnvilReturnType;
  let dataDir: string;

  beforeAll(async () => {
    // The chain outlives the server, as a real chain does: only our process is killed.
    anvil = await startAnvil();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-edition-job-crash-"));
  });

  afterAll(async () => {
    await anvil?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("resumes after a restart to exactly one edition on chain", async () => {
    const env = { DATA_DIR: dataDir, PORT: "0", RPC_URL: anvil.rpcUrl, ADMIN_API_KEY, LOG_LEVEL: "silent", ...JOB_ENV };
    const first = await spawnServer({ ...env, VERMILION_TEST_EDITION_JOB_CRASH_AT: "after-receipt" });
    const firstCall = createApiClient(first.url);
    const issuer = await createIssuerWithCollection(firstCall, ADMIN_API_KEY);
    const accepted = await postEdition(first.url, issuer.collection, issuer.apiKey, uploadForm({ name: "Interrupted", maxSupply: "200" }));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const ended = await first.exited;
    // tsx runs the server in a child Node process and exits with 128 + 9 when it is killed.
    expect(ended.signal === "SIGKILL" || ended.code === 137, `${JSON.stringify(ended)} ${first.output()}`).toBe(true);

    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const editionCount = () => client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "editionCount" });
    // The kill came after the receipt and before the job recorded it: the chain has the edition, the platform does not.
    expect(await editionCount()).toBe(1n);

    const second = await spawnServer(env);
    try {
      const secondCall = createApiClient(second.url);
      const done = await waitForEditionJob(secondCall, issuer.apiKey, accepted.body.jobId as string);
      expect(done.state, JSON.stringify(done)).toBe("completed");
      expect(done.edition).toMatchObject({ editionId: "1" });
      expect(await editionCount()).toBe(1n);
      const onChain = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [1n] });
      expect(onChain.metadataCid).toBe(done.edition!.metadataCid);
      const listed = await secondCall<{ editions: Array<{ editionId: string; txHash: string }> }>("GET", `/api/collections/${issuer.collection}/editions`);
      expect(listed.body.editions).toEqual([expect.objectContaining({ editionId: "1", txHash: done.edition!.txHash })]);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});
