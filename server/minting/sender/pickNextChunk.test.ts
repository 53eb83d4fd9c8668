import type { TestDatabase } from "../../../test/support/openTestDatabase.js";
import type { SenderState } from "./senderDeps.js";

import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";

import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { pickNextChunk } from "./pickNextChunk.js";

const chainId = 31337n;
const collection = "0x00000000000000000000000000000000000000Aa";
const to = "0x000000000000000000000000000000000000bEEF";
const issuerId = "00000000-0000-4000-8000-000000000001";
/** This sender's key, and another issuer's operating key with its own sender. */
const sender = "0x00000000000000000000000000000000000000a1";
const otherSender = "0x00000000000000000000000000000000000000b2";
const olderJob = "00000000-0000-4000-8000-00000000000a";
const newerJob = "00000000-0000-4000-8000-00000000000b";
let testDatabase: TestDatabase;

/** A job of `chunkStates.length` chunks of one token each, created `minutesAgo` minutes ago. */
async function insertJob(jobId: string, minutesAgo: number, chunkStates: string[], jobChainId = chainId, jobSender = sender): Promise<void> {
  const { db } = testDatabase;
  await db.query(
    `INSERT INTO mint_jobs (job_id, chain_id, issuer_id, collection_address, edition_id, kind, idempotency_key, request_sha256, total_tokens, state, created_at, sender)
     VALUES ($1, $2, $3, $4, 7, 'mint', $5, 'sha', $6, 'sending', now() - make_interval(mins => $7), $8)`,
    [jobId, jobChainId, issuerId, collection, `key-${jobId}`, chunkStates.length, minutesAgo, jobSender],
  );
  for (const [index, state] of chunkStates.entries()) {
    await db.query("INSERT INTO mint_chunks (job_id, chunk_index, recipient, quantity, state) VALUES ($1, $2, $3, 1, $4)", [jobId, index, to, state]);
  }
}

function freshState(): SenderState {
  return { running: true, deferredUntil: new Map(), wakeUp: undefined, woken: false, inFlight: new Map(), lastConfirmCheckAt: 0, finalTxHashes: new Set() };
}

beforeAll(async () => {
  testDatabase = await openTestDatabase();
  await testDatabase.db.query("INSERT INTO issuers (issuer_id, name) VALUES ($1, 'Issuer')", [issuerId]);
});

beforeEach(async () => {
  await testDatabase.db.query("DELETE FROM mint_chunks");
  await testDatabase.db.query("DELETE FROM mint_jobs");
});

afterAll(async () => {
  await testDatabase?.dispose();
});

test("a sent chunk comes before any pending one, even of an older job: its nonce is taken and must be settled first", async () => {
  await insertJob(olderJob, 10, ["pending", "pending"]);
  await insertJob(newerJob, 5, ["mined", "sent", "pending"]);

  const chunk = await pickNextChunk({ db: testDatabase.db, chainId, sender, state: freshState() });

  expect(chunk).toEqual({
    job_id: newerJob,
    issuer_id: issuerId,
    chunk_index: 1,
    collection_address: collection,
    edition_id: 7n,
    recipient: to,
    quantity: 1,
    recipients: null,
    state: "sent",
  });
});

test("without a sent chunk the oldest job's first pending chunk is next; other chains' jobs are not this sender's", async () => {
  await insertJob(olderJob, 10, ["mined", "pending"]);
  await insertJob(newerJob, 20, ["sent"], 1n);

  const chunk = await pickNextChunk({ db: testDatabase.db, chainId, sender, state: freshState() });

  expect(chunk).toMatchObject({ job_id: olderJob, chunk_index: 1, state: "pending" });
});

test("a deferred job is skipped until its time, then picked again and its deferral forgotten", async () => {
  await insertJob(olderJob, 10, ["pending"]);
  await insertJob(newerJob, 5, ["pending"]);
  const state = freshState();
  state.deferredUntil.set(olderJob, Date.now() + 60_000);

  expect(await pickNextChunk({ db: testDatabase.db, chainId, sender, state })).toMatchObject({ job_id: newerJob });
  expect([...state.deferredUntil.keys()]).toEqual([olderJob]);

  state.deferredUntil.set(olderJob, Date.now() - 1);
  expect(await pickNextChunk({ db: testDatabase.db, chainId, sender, state })).toMatchObject({ job_id: olderJob });
  expect(state.deferredUntil.size).toBe(0);
});

test("nothing to do when every job is deferred or every chunk settled", async () => {
  await insertJob(olderJob, 10, ["mined", "failed"]);
  await insertJob(newerJob, 5, ["pending"]);
  const state = freshState();
  state.deferredUntil.set(newerJob, Date.now() + 60_000);

  expect(await pickNextChunk({ db: testDatabase.db, chainId, sender, state })).toBeUndefined();
});

test("another key's jobs are not this sender's, even a sent chunk of an older job: each key has its own sender", async () => {
  const otherKeysJob = "00000000-0000-4000-8000-00000000000c";
  await insertJob(otherKeysJob, 30, ["sent", "pending"], chainId, otherSender);
  await insertJob(newerJob, 5, ["pending"]);

  expect(await pickNextChunk({ db: testDatabase.db, chainId, sender, state: freshState() })).toMatchObject({ job_id: newerJob, state: "pending" });
  expect(await pickNextChunk({ db: testDatabase.db, chainId, sender: otherSender, state: freshState() })).toMatchObject({
    job_id: otherKeysJob,
    state: "sent",
  });
});
