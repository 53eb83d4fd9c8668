import { afterEach, describe, expect, test } from "vitest";

import type { Database } from "./Database.js";
import type { OpenPgliteParameters } from "./openPglite.js";

import { migrate } from "./migrate.js";
import { maintainPglite } from "./maintainPglite.js";
import { openPglite } from "./openPglite.js";

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

async function insertTokens(target: Database, count: number): Promise<void> {
  await target.query(
    `INSERT INTO indexer_tokens (chain_id, collection, token_id, edition_id, serial, owner, restricted, acquired_at,
       mint_kind, minted_block_number, minted_tx_hash)
     SELECT 31337, '0xc0', g, g / 100000, g % 100000, '0xa1', false, 0, 'mint', 0, '0x00' FROM generate_series(1, $1::int) g`,
    [count],
  );
}

async function activityOf(target: Database, table: string) {
  await target.query("SELECT pg_stat_force_next_flush()");
  const { rows } = await target.query<{ n_dead_tup: bigint; n_mod_since_analyze: bigint; last_analyze: Date | null }>(
    "SELECT n_dead_tup, n_mod_since_analyze, last_analyze FROM pg_stat_user_tables WHERE relname = $1",
    [table],
  );
  return rows[0]!;
}

/** The plan of the indexer's per-token lookup (the LEFT JOIN of its undo journal). */
async function tokenLookupPlan(target: Database): Promise<string> {
  const { rows } = await target.query<{ "QUERY PLAN": string }>(
    `EXPLAIN SELECT t.* FROM unnest($1::text[], $2::text[]) AS k(collection, token_id)
     LEFT JOIN indexer_tokens t ON t.chain_id = 31337 AND t.collection = k.collection AND t.token_id = k.token_id::int8`,
    [["0xc0"], ["42"]],
  );
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

describe("PGlite maintenance (what autovacuum does on a PostgreSQL server)", () => {
  test("a table that grew gets ANALYZE, and the per-token lookup then finds its row by token id instead of reading the collection", async () => {
    db = await openPglite({ maintenanceIntervalMs: 0 });
    await migrate(db);
    await insertTokens(db, 20_000);
    // Without statistics the planner reads every token of the collection for each one looked up.
    expect(await tokenLookupPlan(db)).toMatch(/Index Cond: \(\(chain_id = 31337\) AND \(collection = k\.collection\)\)\n.*Filter: \(token_id/);
    const pass = await maintainPglite(db);
    expect(pass.analyzed).toContain("indexer_tokens");
    expect(pass.vacuumed).toEqual([]);
    expect((await activityOf(db, "indexer_tokens")).last_analyze).not.toBeNull();
    expect(await tokenLookupPlan(db)).toMatch(/Index Cond: .*token_id = \(k\.token_id\)::bigint/);
  });

  test("dead rows past a fifth of the table are vacuumed; small changes are left for later passes", async () => {
    db = await openPglite({ maintenanceIntervalMs: 0 });
    await migrate(db);
    await insertTokens(db, 10_000);
    await maintainPglite(db);
    await db.query("UPDATE indexer_tokens SET owner = '0xb2' WHERE token_id <= 20");
    expect(await maintainPglite(db)).toEqual({ analyzed: [], vacuumed: [] });
    await db.query("UPDATE indexer_tokens SET owner = '0xb2' WHERE token_id <= 3000");
    expect((await activityOf(db, "indexer_tokens")).n_dead_tup).toBeGreaterThan(2_000n);
    expect((await maintainPglite(db)).vacuumed).toEqual(["indexer_tokens"]);
    const after = await activityOf(db, "indexer_tokens");
    expect(after.n_dead_tup).toBe(0n);
    expect(after.n_mod_since_analyze).toBe(0n);
  });

  test("an opened database runs passes by itself, and closes while they run", async () => {
    const warnings: unknown[] = [];
    const logger = { debug: () => undefined, warn: (fields: unknown) => void warnings.push(fields) } as unknown as OpenPgliteParameters["logger"];
    db = await openPglite({ maintenanceIntervalMs: 20, logger });
    await migrate(db);
    await insertTokens(db, 5_000);
    const deadline = Date.now() + 10_000;
    while ((await activityOf(db, "indexer_tokens")).last_analyze === null) {
      if (Date.now() > deadline) throw new Error("no maintenance pass analyzed indexer_tokens within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await activityOf(db, "indexer_tokens")).last_analyze).toBeInstanceOf(Date);
    await expect(db.close()).resolves.toBeUndefined();
    db = undefined;
    // No pass failed, not even one cut short by the close.
    expect(warnings).toEqual([]);
  });
});
