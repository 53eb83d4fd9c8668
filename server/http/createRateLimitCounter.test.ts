import type { RateLimitCounter } from "./createRateLimitCounter.js";

import { afterAll, describe, expect, test } from "vitest";

import { TEST_POSTGRES_URL, openTestDatabase, type TestDatabase } from "../../test/support/openTestDatabase.js";
import { openPostgres } from "../db/openPostgres.js";
import {
  createDatabaseRateLimitCounter,
  createMemoryRateLimitCounter,
  rateLimitCounterFor,
} from "./createRateLimitCounter.js";

const WINDOW_MS = 60_000;
const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const database of opened) await database.dispose();
});

async function counterOf(kind: "memory" | "pglite" | "postgres"): Promise<RateLimitCounter> {
  if (kind === "memory") return createMemoryRateLimitCounter();
  const database = await openTestDatabase(kind);
  opened.push(database);
  return createDatabaseRateLimitCounter(database.db);
}

describe.each(["memory", "pglite", "postgres"] as const)("a %s rate-limit counter", (kind) => {
  test("counts each bucket on its own, and from one again in the next window", async () => {
    const counter = await counterOf(kind);
    const first = 1_800_000_000_000 - (1_800_000_000_000 % WINDOW_MS);
    const counts = [];
    for (let request = 0; request < 3; request += 1) counts.push(await counter.increment("api:ip:a", first, WINDOW_MS));
    counts.push(await counter.increment("api:ip:b", first, WINDOW_MS));
    counts.push(await counter.increment("api:ip:a", first + WINDOW_MS, WINDOW_MS));
    counts.push(await counter.increment("api:ip:a", first + WINDOW_MS, WINDOW_MS));
    expect(counts).toEqual([1, 2, 3, 1, 1, 2]);
  });

  test("concurrent requests each get a count of their own", async () => {
    const counter = await counterOf(kind);
    const counts = await Promise.all(Array.from({ length: 20 }, () => counter.increment("mint:key:k", 0, WINDOW_MS)));
    expect(counts.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });
});

describe("the counter a database calls for", () => {
  test("PostgreSQL: two API instances (two connections) count against the same window", async () => {
    const database = await openTestDatabase("postgres");
    opened.push(database);
    const second = await openPostgres({ connectionString: TEST_POSTGRES_URL, schema: database.schema! });
    try {
      const one = rateLimitCounterFor(database.db);
      const other = rateLimitCounterFor(second);
      expect(await one.increment("api:ip:a", 0, WINDOW_MS)).toBe(1);
      expect(await other.increment("api:ip:a", 0, WINDOW_MS)).toBe(2);
      expect(await one.increment("api:ip:a", 0, WINDOW_MS)).toBe(3);
    } finally {
      await second.close();
    }
  });

  test("embedded PGlite (one process only): counted in memory, writing nothing to the database", async () => {
    const database = await openTestDatabase("pglite");
    opened.push(database);
    const counter = rateLimitCounterFor(database.db);
    expect(await counter.increment("api:ip:a", 0, WINDOW_MS)).toBe(1);
    expect(await counter.increment("api:ip:a", 0, WINDOW_MS)).toBe(2);
    const { rows } = await database.db.query<{ count: bigint }>("SELECT count(*) AS count FROM rate_limit_windows");
    expect(rows[0]?.count).toBe(0n);
  });

  test("old windows are pruned as later ones are counted", async () => {
    const database = await openTestDatabase("pglite");
    opened.push(database);
    const counter = createDatabaseRateLimitCounter(database.db);
    await counter.increment("api:ip:a", 0, WINDOW_MS);
    await counter.increment("api:ip:a", 3 * WINDOW_MS, WINDOW_MS);
    const { rows } = await database.db.query<{ window_start: Date }>("SELECT window_start FROM rate_limit_windows");
    expect(rows.map((row) => row.window_start.getTime())).toEqual([3 * WINDOW_MS]);
  });
});
