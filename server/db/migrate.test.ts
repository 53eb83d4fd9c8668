import type { Database } from "./Database.js";

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, test } from "vitest";

import { migrate } from "./migrate.js";
import { openPglite } from "./openPglite.js";
import { openPostgres } from "./openPostgres.js";

const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const engines: Array<{ name: string; open: () => Promise<{ db: Database; cleanup: () => Promise<void> }> }> = [
  {
    name: "PGlite",
    open: async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-pglite-"));
      const db = await openPglite({ dataDir });
      return { db, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: "PostgreSQL",
    open: async () => {
      const schema = `test_${randomUUID().replaceAll("-", "")}`;
      const db = await openPostgres({ connectionString: POSTGRES_URL, schema });
      return {
        db,
        cleanup: async () => {
          const admin = await openPostgres({ connectionString: POSTGRES_URL });
          await admin.exec(`DROP SCHEMA "${schema}" CASCADE`);
          await admin.close();
        },
      };
    },
  },
];

describe.each(engines)("migrate on $name", ({ open }) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  test("applies every migration once, and a second run applies none", async () => {
    const { db, cleanup } = await open();
    cleanups.push(cleanup);
    const first = await migrate(db);
    expect(first.applied).toContain("0001_platform");
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    await db.close();
  });

  test("int8 columns come back as bigint and a failed transaction writes nothing", async () => {
    const { db, cleanup } = await open();
    cleanups.push(cleanup);
    await migrate(db);
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO deployments (chain_id, contract_name, address) VALUES ($1, $2, $3)", [
          31337n,
          "VermilionFactory",
          "0x00",
        ]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect((await db.query("SELECT count(*)::int8 AS n FROM deployments")).rows).toEqual([{ n: 0n }]);
    await db.query("INSERT INTO deployments (chain_id, contract_name, address) VALUES ($1, $2, $3)", [
      31337n,
      "VermilionFactory",
      "0x00",
    ]);
    const { rows } = await db.query<{ chain_id: bigint }>("SELECT chain_id FROM deployments");
    expect(rows).toEqual([{ chain_id: 31337n }]);
    await db.close();
  });

  test("a migration that cannot apply fails with MIGRATION_FAILED naming it, and leaves none of it behind", async () => {
    const { db, cleanup } = await open();
    cleanups.push(cleanup);
    // A table the first migration wants to create already exists with another shape (a foreign schema).
    await db.exec("CREATE TABLE issuers (legacy_id integer)");
    await expect(migrate(db)).rejects.toMatchObject({ code: "MIGRATION_FAILED", details: { migration: "0001_platform" } });
    const tables = await db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
    );
    expect(tables.rows.map((row) => row.name)).toEqual(["issuers", "schema_migrations"]);
    expect((await db.query("SELECT name FROM schema_migrations")).rows).toEqual([]);
    await db.close();
  });
});

test("a PGlite database keeps its rows across a reopen", async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-pglite-"));
  try {
    const first = await openPglite({ dataDir });
    await migrate(first);
    await first.query("INSERT INTO issuers (name) VALUES ($1)", ["Dunhuang Academy"]);
    await first.close();
    const second = await openPglite({ dataDir });
    expect((await second.query("SELECT name FROM issuers")).rows).toEqual([{ name: "Dunhuang Academy" }]);
    await second.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
