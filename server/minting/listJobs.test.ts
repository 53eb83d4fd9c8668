import type { ListeningServer } from "../../test/support/listen.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";
import type { JobListView } from "../views/jobSummaryView.js";

import { randomUUID } from "node:crypto";

import pino from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { listen } from "../../test/support/listen.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { createApp } from "../app.js";
import { createApiKey } from "../auth/createApiKey.js";
import { identifyClient } from "../auth/identifyClient.js";
import { createChainClients } from "../chain/createChainClients.js";
import { createWriteLocks } from "../cluster/createWriteLock.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";
import { createRateLimits } from "../http/rateLimits.js";
import { createIssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import { createMintingRouter } from "./mintingRouter.js";

const CHAIN_ID = 31337;
const ADMIN_API_KEY = "list-jobs-admin-key-0123456789abcdef";
const COLLECTION = "0x00000000000000000000000000000000000000aa";

let testDatabase: TestDatabase;
let server: ListeningServer;
let issuerA: { issuerId: string; apiKey: string };
let issuerB: { issuerId: string; apiKey: string };
/** Issuer A's jobs as inserted, oldest first. */
const jobsOfA: Array<{ jobId: string; kind: string; state: string }> = [];

async function addIssuer(name: string): Promise<{ issuerId: string; apiKey: string }> {
  const { rows } = await testDatabase.db.query<{ issuer_id: string }>("INSERT INTO issuers (name) VALUES ($1) RETURNING issuer_id", [name]);
  const issuerId = rows[0]!.issuer_id;
  return { issuerId, apiKey: (await createApiKey(testDatabase.db, { issuerId })).apiKey };
}

/** A job `secondsAgo` old: a mint of 3 with 2 tokens mined, an airdrop, or an edition job 40 of 100 documents in. */
async function addJob(issuerId: string, kind: "mint" | "airdrop" | "edition", state: string, secondsAgo: number, waiting?: string): Promise<string> {
  const jobId = randomUUID();
  const created = `now() - make_interval(secs => ${secondsAgo})`;
  if (kind === "edition") {
    await testDatabase.db.query(
      `INSERT INTO edition_jobs (job_id, chain_id, issuer_id, collection_address, request, state, documents_written, documents_total, created_at)
       VALUES ($1, $2, $3, $4, '{}', $5, 40, 100, ${created})`,
      [jobId, BigInt(CHAIN_ID), issuerId, COLLECTION, state],
    );
    return jobId;
  }
  await testDatabase.db.query(
    `INSERT INTO mint_jobs (job_id, chain_id, issuer_id, collection_address, edition_id, kind, idempotency_key, request_sha256, total_tokens, state,
       waiting_code, waiting_since, created_at)
     VALUES ($1, $2, $3, $4, 7, $5, $6, 'x', 3, $7, $8, CASE WHEN $8::text IS NULL THEN NULL ELSE now() END, ${created})`,
    [jobId, BigInt(CHAIN_ID), issuerId, COLLECTION, kind, randomUUID(), state, waiting ?? null],
  );
  await testDatabase.db.query(
    `INSERT INTO mint_chunks (job_id, chunk_index, recipient, quantity, state, first_token_id)
     VALUES ($1, 0, $2, 2, 'mined', 7000001), ($1, 1, $2, 1, 'pending', NULL)`,
    [jobId, COLLECTION],
  );
  return jobId;
}

async function list(apiKey: string, query = ""): Promise<{ status: number; body: JobListView & { error?: { code: string; details: { field?: string } } } }> {
  const response = await fetch(`${server.baseUrl}/api/jobs${query}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: response.status, body: (await response.json()) as JobListView & { error?: { code: string; details: { field?: string } } } };
}

beforeAll(async () => {
  testDatabase = await openTestDatabase();
  // Listing reads the database only: the chain is never reached.
  const chain = createChainClients({ rpcUrl: "http://127.0.0.1:9", chainId: CHAIN_ID, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
  const router = createMintingRouter({
    db: testDatabase.db,
    chain,
    issuerKeyring: createIssuerKeyring({ db: testDatabase.db, mnemonic: WELL_KNOWN_DEV_MNEMONIC }),
    writeLocks: createWriteLocks({ db: testDatabase.db, chainId: CHAIN_ID }),
    adminApiKey: ADMIN_API_KEY,
    onJobAccepted: () => {},
  });
  const logger = pino({ level: "silent" });
  const rules = { apiAnonymous: undefined, apiKey: undefined, mint: undefined, verify: undefined, upload: undefined, ipfs: undefined, voucherRelay: undefined, claim: undefined };
  server = await listen(
    createApp({ logger, identifyClient: identifyClient({ db: testDatabase.db, adminApiKey: ADMIN_API_KEY }), rateLimits: createRateLimits({ db: testDatabase.db, logger }, rules), routers: [router] }),
  );
  issuerA = await addIssuer("A");
  issuerB = await addIssuer("B");
  const plan: Array<["mint" | "airdrop" | "edition", string, string?]> = [
    ["mint", "completed"],
    ["edition", "completed"],
    ["airdrop", "failed"],
    ["mint", "queued", "ISSUER_GAS_BUDGET_EXCEEDED"],
    ["edition", "building"],
  ];
  for (const [index, [kind, state, waiting]] of plan.entries()) {
    jobsOfA.push({ jobId: await addJob(issuerA.issuerId, kind, state, 100 - index * 10, waiting), kind, state });
  }
  await addJob(issuerB.issuerId, "mint", "completed", 5);
});

afterAll(async () => {
  await server?.close();
  await testDatabase?.dispose();
});

describe("GET /api/jobs", () => {
  test("lists the issuer's own mint and edition jobs, newest first, with progress, waiting and location", async () => {
    const { status, body } = await list(issuerA.apiKey);

    expect(status).toBe(200);
    expect(body.jobs.map((job) => job.jobId)).toEqual(jobsOfA.map((job) => job.jobId).reverse());
    expect(body.nextCursor).toBeNull();
    const [building, waiting] = body.jobs;
    expect(building).toMatchObject({ kind: "edition", state: "building", progress: { done: 40, total: 100, unit: "documents" }, waiting: null });
    expect(building!.location).toBe(`/api/edition-jobs/${building!.jobId}`);
    expect(waiting).toMatchObject({ kind: "mint", state: "queued", editionId: "7", progress: { done: 2, total: 3, unit: "tokens" } });
    expect(waiting!.waiting).toMatchObject({ code: "ISSUER_GAS_BUDGET_EXCEEDED" });
    expect(waiting!.location).toBe(`/api/jobs/${waiting!.jobId}`);
  });

  test("pages by cursor without repeating or skipping a job", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body }: Awaited<ReturnType<typeof list>> = await list(issuerA.apiKey, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      seen.push(...body.jobs.map((job) => job.jobId));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toEqual(jobsOfA.map((job) => job.jobId).reverse());
  });

  test("filters by state and by kind", async () => {
    const completed = await list(issuerA.apiKey, "?state=completed");
    const editions = await list(issuerA.apiKey, "?kind=edition");
    const building = await list(issuerA.apiKey, "?kind=mint&state=building");

    expect(completed.body.jobs.map((job) => job.kind)).toEqual(["edition", "mint"]);
    expect(editions.body.jobs.map((job) => job.state)).toEqual(["building", "completed"]);
    expect(building.body.jobs).toEqual([]);
  });

  test("an admin key lists every issuer's jobs, or one issuer's with issuerId", async () => {
    const all = await list(ADMIN_API_KEY, "?limit=100");
    const ofB = await list(ADMIN_API_KEY, `?issuerId=${issuerB.issuerId}`);

    expect(all.body.jobs).toHaveLength(jobsOfA.length + 1);
    expect(ofB.body.jobs.map((job) => job.issuerId)).toEqual([issuerB.issuerId]);
  });

  test("an issuer key naming another issuer is 403 FORBIDDEN; a bad cursor or limit is 400 naming the field", async () => {
    const other = await list(issuerA.apiKey, `?issuerId=${issuerB.issuerId}`);
    const badCursor = await list(issuerA.apiKey, "?cursor=bm90LWEtY3Vyc29y");
    const badLimit = await list(issuerA.apiKey, "?limit=0");
    const badState = await list(issuerA.apiKey, "?state=done");

    expect([other.status, other.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    expect([badCursor.status, badCursor.body.error?.details.field]).toEqual([400, "query.cursor"]);
    expect([badLimit.status, badLimit.body.error?.details.field]).toEqual([400, "query.limit"]);
    expect([badState.status, badState.body.error?.details.field]).toEqual([400, "query.state"]);
  });
});
