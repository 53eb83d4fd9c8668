import { createHash, randomUUID } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";

import { migrate } from "../../server/db/migrate.js";
import { openPglite } from "../../server/db/openPglite.js";

/**
 * Freshly migrated PGlite databases for tests, made once per machine for each set of migrations and
 * PGlite version and kept in the temporary directory. Initializing an empty PGlite runs initdb in WASM,
 * about four seconds on this machine; copying or loading a migrated one takes under one.
 */

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const GZIP_TAR = "application/x-gzip";

/** A name for the migrations and the PGlite version: a template made for others is never used. */
async function templateKey(): Promise<string> {
  const migrationsDir = path.join(repoRoot, "server", "db", "migrations");
  const hash = createHash("sha256");
  hash.update(await readFile(path.join(repoRoot, "node_modules", "@electric-sql", "pglite", "package.json")));
  for (const file of (await readdir(migrationsDir)).filter((name) => name.endsWith(".sql")).sort()) {
    hash.update(file).update(await readFile(path.join(migrationsDir, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

/** The template's data directory, made on first use. Test files run in parallel processes: each makes its own and renames it into place whole. */
async function migratedPgliteDataDir(): Promise<string> {
  const templateDir = path.join(os.tmpdir(), `vermilion-test-pglite-${await templateKey()}`);
  try {
    await readdir(templateDir);
    return templateDir;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const partial = await mkdtemp(`${templateDir}.partial-`);
  const db = await openPglite({ dataDir: partial, maintenanceIntervalMs: 0 });
  await migrate(db);
  await db.close();
  try {
    await rename(partial, templateDir);
  } catch (error) {
    // Another process put its template in place first; it is the same database.
    await rm(partial, { recursive: true, force: true });
    if (!["ENOTEMPTY", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
  }
  return templateDir;
}

/** Fills `dataDir` (which must not exist yet) with a migrated PGlite database, as `openPglite({ dataDir })` opens it. */
export async function seedMigratedPglite(dataDir: string): Promise<void> {
  await cp(await migratedPgliteDataDir(), dataDir, { recursive: true });
}

/** The template as a dump for `openPglite({ loadDataDir })`, for in-memory databases. */
export async function migratedPgliteDump(): Promise<Blob> {
  const dumpPath = `${await migratedPgliteDataDir()}.tar.gz`;
  try {
    return new Blob([await readFile(dumpPath)], { type: GZIP_TAR });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const copy = await mkdtemp(path.join(os.tmpdir(), "vermilion-test-pglite-dump-"));
  try {
    await seedMigratedPglite(path.join(copy, "db"));
    const raw = await PGlite.create(path.join(copy, "db"));
    const dump = await raw.dumpDataDir("gzip");
    await raw.close();
    const bytes = Buffer.from(await dump.arrayBuffer());
    const partial = `${dumpPath}.${randomUUID()}`;
    await writeFile(partial, bytes);
    await rename(partial, dumpPath);
    return new Blob([bytes], { type: GZIP_TAR });
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
