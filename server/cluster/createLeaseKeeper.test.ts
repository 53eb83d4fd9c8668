import type { Database } from "../db/Database.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";

import pino from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";

import { TEST_POSTGRES_URL, openTestDatabase } from "../../test/support/openTestDatabase.js";
import { openPostgres } from "../db/openPostgres.js";
import { isVermilionError } from "../errors/VermilionError.js";
import { createLeaseKeeper } from "./createLeaseKeeper.js";
import { fencedDatabase } from "./fencedDatabase.js";

const logger = pino({ level: "silent" });
const TTL_MS = 600;

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function keeper(db: Database, holderId: string, events: string[], extra: { takeOverAtStart?: boolean } = {}) {
  return createLeaseKeeper({
    db,
    name: "test-role",
    holderId,
    ttlMs: TTL_MS,
    logger,
    onAcquired: () => void events.push(`${holderId} acquired`),
    onLost: async () => void events.push(`${holderId} lost`),
    ...extra,
  });
}

describe("createLeaseKeeper on PostgreSQL", () => {
  let testDatabase: TestDatabase;
  beforeEach(async () => {
    testDatabase = await openTestDatabase("postgres");
    await testDatabase.db.exec("CREATE TABLE fenced_writes (value text)");
  });
  afterEach(async () => {
    await testDatabase.dispose();
  });

  /** A second connection pool to the same schema, standing in for another instance. */
  const otherInstance = () =>
    openPostgres({ connectionString: TEST_POSTGRES_URL, schema: testDatabase.schema!, maxConnections: 4 });

  test("grants the lease to one instance only, and hands it over with a higher epoch when released", async () => {
    const events: string[] = [];
    const other = await otherInstance();
    const a = keeper(testDatabase.db, "a", events);
    const b = keeper(other, "b", events);
    try {
      await a.start();
      await b.start();
      expect(a.isHeld()).toBe(true);
      expect(b.isHeld()).toBe(false);
      const firstEpoch = a.epoch()!;

      await a.stop();
      expect(events).toEqual(["a acquired", "a lost"]);
      await eventually(() => b.isHeld());
      expect(b.epoch()).toBe(firstEpoch + 1n);
    } finally {
      await b.stop();
      await other.close();
    }
  });

  test("takes over from a holder that stopped renewing once its term expires", async () => {
    const events: string[] = [];
    const doomed = await otherInstance();
    const a = keeper(doomed, "a", events);
    const b = keeper(testDatabase.db, "b", events);
    try {
      await a.start();
      await b.start();
      expect(a.isHeld()).toBe(true);
      // The holder's database connection dies (as with kill -9): it can no longer renew.
      await doomed.close();
      await eventually(() => !a.isHeld());
      await eventually(() => b.isHeld());
      expect(events).toContain("b acquired");
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  test("refuses a deposed holder's writes with LEASE_LOST, and its role is stopped at the next renewal", async () => {
    const events: string[] = [];
    const other = await otherInstance();
    const a = keeper(testDatabase.db, "a", events);
    try {
      await a.start();
      const aWrites = fencedDatabase(testDatabase.db, a);
      await aWrites.query("INSERT INTO fenced_writes VALUES ('a, while holding')");

      // b forces a new term while a still believes it holds the lease.
      const b = keeper(other, "b", events, { takeOverAtStart: true });
      await b.start();
      expect(b.isHeld()).toBe(true);
      expect(b.epoch()).toBe(2n);

      const refused = await aWrites.query("INSERT INTO fenced_writes VALUES ('a, deposed')").catch((error: unknown) => error);
      expect(isVermilionError(refused) && refused.code).toBe("LEASE_LOST");
      await expect(
        aWrites.transaction((tx) => tx.query("INSERT INTO fenced_writes VALUES ('a, deposed, in a transaction')")),
      ).rejects.toMatchObject({ code: "LEASE_LOST" });
      await fencedDatabase(other, b).query("INSERT INTO fenced_writes VALUES ('b')");
      const { rows } = await testDatabase.db.query<{ value: string }>("SELECT value FROM fenced_writes ORDER BY value");
      expect(rows.map((row) => row.value)).toEqual(["a, while holding", "b"]);

      await eventually(() => events.includes("a lost"));
      await b.stop();
    } finally {
      await a.stop();
      await other.close();
    }
  });
});
