import { randomUUID } from "node:crypto";

import { expect, test } from "vitest";

import { TEST_POSTGRES_URL } from "../../test/support/openTestDatabase.js";
import { migrate, pendingMigrations } from "./migrate.js";
import { openPostgres } from "./openPostgres.js";

test("instances migrating one empty PostgreSQL database at once apply each migration exactly once", async () => {
  const schema = `test_migrate_${randomUUID().replaceAll("-", "")}`;
  // Opened one after the other: the test helper's per-test schema is created on open (production uses none).
  const instances = [];
  for (let index = 0; index < 3; index += 1) {
    instances.push(await openPostgres({ connectionString: TEST_POSTGRES_URL, schema, maxConnections: 2 }));
  }
  try {
    const results = await Promise.all(instances.map((db) => migrate(db)));
    const applied = results.flatMap((result) => result.applied).sort();
    expect(applied.length).toBeGreaterThan(0);
    // Every migration applied by exactly one instance; none left for anyone.
    expect(new Set(applied).size).toBe(applied.length);
    for (const db of instances) expect(await pendingMigrations(db)).toEqual([]);
  } finally {
    for (const db of instances) await db.close();
    const admin = await openPostgres({ connectionString: TEST_POSTGRES_URL });
    await admin.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.close();
  }
});
