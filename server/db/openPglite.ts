import type { Database, Queryable } from "./Database.js";

import { mkdir } from "node:fs/promises";

import { PGlite, types } from "@electric-sql/pglite";

import { VermilionError } from "../errors/VermilionError.js";

export interface OpenPgliteParameters {
  /** Directory holding the database files; omitted for an in-memory database. */
  dataDir?: string;
}

const parsers = { [types.INT8]: (value: string) => BigInt(value) };

function asQueryable(target: { query: PGlite["query"] }): Queryable {
  return {
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const result = await target.query<Row>(sql, params ? [...params] : undefined);
      return { rows: result.rows };
    },
  };
}

/** Opens (creating if needed) an embedded PostgreSQL in WASM, persisted under `dataDir`. */
export async function openPglite(parameters: OpenPgliteParameters = {}): Promise<Database> {
  try {
    if (parameters.dataDir) await mkdir(parameters.dataDir, { recursive: true });
    const pglite = await PGlite.create(parameters.dataDir, { parsers });
    const lockTails = new Map<bigint, Promise<unknown>>();
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
      close: () => pglite.close(),
    };
  } catch (cause) {
    throw new VermilionError("DATABASE_UNAVAILABLE", { dataDir: parameters.dataDir }, { cause });
  }
}
