import type { PoolClient } from "pg";
import type { Database, Queryable } from "./Database.js";

import pg from "pg";

import { VermilionError } from "../errors/VermilionError.js";

export interface OpenPostgresParameters {
  connectionString: string;
  /**
   * A schema to work in (created if missing), so several deployments or test runs can share one
   * server without seeing each other's tables.
   */
  schema?: string;
  maxConnections?: number;
}

const INT8_OID = 20;
const typeParsers = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function quoteIdentifier(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function asQueryable(target: pg.Pool | PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const result = await target.query(sql, params ? [...params] : undefined);
      return { rows: result.rows as Row[] };
    },
  };
}

/** Connects to a PostgreSQL server; checks the connection before returning. */
export async function openPostgres(parameters: OpenPostgresParameters): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: parameters.connectionString,
    max: parameters.maxConnections ?? 10,
    types: typeParsers,
    ...(parameters.schema ? { options: `-c search_path=${quoteIdentifier(parameters.schema)}` } : {}),
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on("error", () => {});
  try {
    if (parameters.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(parameters.schema)}`);
    else await pool.query("SELECT 1");
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new VermilionError("DATABASE_UNAVAILABLE", {}, { cause });
  }
  return {
    kind: "postgres",
    ...asQueryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(asQueryable(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async withAdvisoryLock(key, work) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("SELECT pg_advisory_lock($1)", [key]);
        try {
          return await work();
        } finally {
          // A connection whose unlock failed may still hold the lock: destroy it rather than reuse it.
          await client.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => (broken = true));
        }
      } finally {
        client.release(broken);
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
