import type { Database, Queryable } from "./Database.js";

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { VermilionError } from "../errors/VermilionError.js";

const migrationsDir = path.join(import.meta.dirname, "migrations");

// Any fixed number: every process that migrates this database takes the same lock.
const MIGRATION_LOCK_KEY = 0x7665726d;

export interface MigrateReturnType {
  applied: string[];
}

/**
 * Applies the `.sql` files of server/db/migrations in name order, each once, each in its own
 * transaction together with its bookkeeping row, so a crash never leaves a half-applied migration.
 * Concurrent processes (several API instances) serialize on an advisory lock.
 */
export async function migrate(db: Database): Promise<MigrateReturnType> {
  // Under the lock too: two servers creating the table at once can both pass IF NOT EXISTS and collide.
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.query("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
  });
  const files = (await readdir(migrationsDir)).filter((file) => file.endsWith(".sql")).sort();
  const applied: string[] = [];
  for (const file of files) {
    const name = file.replace(/\.sql$/, "");
    const sql = await readFile(path.join(migrationsDir, file), "utf8");
    try {
      const wasApplied = await db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        const { rows } = await tx.query("SELECT 1 FROM schema_migrations WHERE name = $1", [name]);
        if (rows.length > 0) return false;
        for (const statement of splitStatements(sql)) await tx.query(statement);
        await tx.query("INSERT INTO schema_migrations (name) VALUES ($1)", [name]);
        return true;
      });
      if (wasApplied) applied.push(name);
    } catch (cause) {
      throw new VermilionError("MIGRATION_FAILED", { migration: name }, { cause });
    }
  }
  return { applied };
}

/** Migrations this build has that the database has not applied (empty once `migrate` ran). */
export async function pendingMigrations(db: Queryable): Promise<string[]> {
  const names = (await readdir(migrationsDir)).filter((file) => file.endsWith(".sql")).map((file) => file.replace(/\.sql$/, ""));
  const { rows } = await db.query<{ name: string }>("SELECT name FROM schema_migrations");
  const applied = new Set(rows.map((row) => row.name));
  return names.filter((name) => !applied.has(name)).sort();
}

/**
 * Splits a migration into statements at `;` ending a line (our migrations keep one statement per `;`
 * line-end and no semicolons inside function bodies), since parameterless multi-statement strings are
 * not run the same way inside a transaction by both drivers.
 */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/^\s*--.*$/gm, "")
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
