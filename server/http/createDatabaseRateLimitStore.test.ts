import type { Options } from "express-rate-limit";

import { afterAll, beforeAll, expect, test } from "vitest";

import { openTestDatabase, type TestDatabase } from "../../test/support/openTestDatabase.js";
import { createDatabaseRateLimitStore } from "./createDatabaseRateLimitStore.js";

const WINDOW_MS = 60_000;
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase("postgres");
});

afterAll(async () => {
  await database?.dispose();
});

function storeOf(prefix: string) {
  const store = createDatabaseRateLimitStore(database.db, prefix);
  void store.init?.({ windowMs: WINDOW_MS } as Options);
  return store;
}

test("two stores of one limit (two instances) count each key together; another limit's prefix apart", async () => {
  const first = storeOf("api:");
  const second = storeOf("api:");
  const other = storeOf("mint:");
  const hits = [
    (await first.increment("ip:192.0.2.1")).totalHits,
    (await second.increment("ip:192.0.2.1")).totalHits,
    (await first.increment("ip:192.0.2.1")).totalHits,
    (await second.increment("ip:192.0.2.2")).totalHits,
    (await other.increment("ip:192.0.2.1")).totalHits,
  ];
  expect(hits).toEqual([1, 2, 3, 1, 1]);
});

test("the reset time is the end of the database's current fixed window", async () => {
  const { resetTime } = await storeOf("window:").increment("key:a");
  const { rows } = await database.db.query<{ now: Date }>("SELECT now() AS now");
  const nowMs = new Date(rows[0]!.now).getTime();
  expect(resetTime!.getTime() % WINDOW_MS).toBe(0);
  expect(resetTime!.getTime()).toBeGreaterThan(nowMs);
  expect(resetTime!.getTime()).toBeLessThanOrEqual(nowMs + WINDOW_MS);
});

test("decrement takes one back, resetKey forgets the key", async () => {
  const store = storeOf("undo:");
  await store.increment("key:b");
  await store.increment("key:b");
  await store.decrement("key:b");
  expect((await store.increment("key:b")).totalHits).toBe(2);
  await store.resetKey("key:b");
  expect((await store.increment("key:b")).totalHits).toBe(1);
});

test("ended windows of its own limit are pruned as a store counts; other limits' rows are left alone", async () => {
  await database.db.query(
    `INSERT INTO rate_limit_windows (bucket, window_start, request_count) VALUES
       ('prune:ip:old', now() - interval '1 hour', 5), ('keep:ip:old', now() - interval '1 hour', 5)`,
  );
  await storeOf("prune:").increment("ip:new");
  const { rows } = await database.db.query<{ bucket: string }>(
    "SELECT bucket FROM rate_limit_windows WHERE bucket LIKE 'prune:%' OR bucket LIKE 'keep:%' ORDER BY bucket",
  );
  expect(rows.map((row) => row.bucket)).toEqual(["keep:ip:old", "prune:ip:new"]);
});
