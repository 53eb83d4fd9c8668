import type { Logger } from "pino";
import type { Database, Queryable } from "./Database.js";

import { mkdir } from "node:fs/promises";

import { PGlite, types } from "@electric-sql/pglite";

import { VermilionError } from "../errors/VermilionError.js";
import { maintainPglite } from "./maintainPglite.js";

export interface OpenPgliteParameters {
  /** Directory holding the database files; omitted for an in-memory database. */
  dataDir?: string;
  /** A data directory dumped by PGlite's `dumpDataDir` to start from, instead of initializing an empty one. */
  loadDataDir?: Blob;
  /**
   * Time between passes of the ANALYZE/VACUUM that PostgreSQL's autovacuum would run (PGlite has none);
   * 0 turns them off. Default 30 s.
   */
  maintenanceIntervalMs?: number;
  /** Where a maintenance pass reports what it did, or why it failed. */
  logger?: Pick<Logger, "debug" | "warn">;
}

const DEFAULT_MAINTENANCE_INTERVAL_MS = 30_000;

const parsers = { [types.INT8]: (value: string) => BigInt(value) };

function asQueryable(target: { query: PGlite["query"] }): Queryable {
  return {
    async query<Row>(sql: string, parameters?: readonly unknown[]) {
      const result = await target.query<Row>(sql, parameters ? [...parameters] : undefined);
      return { rows: result.rows };
    },
  };
}

/** Opens (creating if needed) an embedded PostgreSQL in WASM, persisted under `dataDir`. */
export async function openPglite(parameters: OpenPgliteParameters = {}): Promise<Database> {
  try {
    if (parameters.dataDir) await mkdir(parameters.dataDir, { recursive: true });
    const pglite = await PGlite.create(parameters.dataDir, {
      parsers,
      ...(parameters.loadDataDir ? { loadDataDir: parameters.loadDataDir } : {}),
    });
    const lockTails = new Map<bigint, Promise<unknown>>();
    const maintenance = scheduleMaintenance(pglite, parameters);
    return {
      kind: "pglite",
      ...asQueryable(pglite),
      transaction: (work) => pglite.transaction((tx) => work(asQueryable(tx))),
      withAdvisoryLock(key, work) {
        const run = (lockTails.get(key) ?? Promise.resolve()).then(work, work);
        const tail = run.catch(() => undefined);
        lockTails.set(key, tail);
        void tail.then(() => {
          if (lockTails.get(key) === tail) lockTails.delete(key);
        });
        return run;
      },
      exec: async (sql) => {
        await pglite.exec(sql);
      },
      async close() {
        await maintenance.stop();
        await pglite.close();
      },
    };
  } catch (cause) {
    throw new VermilionError("DATABASE_UNAVAILABLE", { dataDir: parameters.dataDir }, { cause });
  }
}

/**
 * Runs maintenance passes one after another, `intervalMs` apart, without keeping the process alive. A
 * pass waits behind open transactions like any query, and a failed one is reported and tried again at
 * the next interval.
 */
function scheduleMaintenance(pglite: PGlite, parameters: OpenPgliteParameters): { stop(): Promise<void> } {
  const intervalMs = parameters.maintenanceIntervalMs ?? DEFAULT_MAINTENANCE_INTERVAL_MS;
  if (intervalMs <= 0) return { stop: () => Promise.resolve() };
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    timer = setTimeout(() => {
      running = maintainPglite(asQueryable(pglite)).then(
        (pass) => {
          if (pass.analyzed.length > 0 || pass.vacuumed.length > 0) parameters.logger?.debug(pass, "database maintenance");
        },
        (error: unknown) => {
          if (!stopped) parameters.logger?.warn({ err: error }, "database maintenance failed; trying again later");
        },
      );
      void running.then(() => {
        if (!stopped) next();
      });
    }, intervalMs);
    timer.unref();
  };
  next();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
