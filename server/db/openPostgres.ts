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
  /** How long to wait for a connection before failing with DATABASE_UNAVAILABLE (default 10 s). */
  connectTimeoutMs?: number;
}

const INT8_OID = 20;
const typeParsers = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function quoteIdentifier(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

const CONNECTION_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"]);
// SQLSTATE 57P01–57P03: the server is shutting down, crashed, or not accepting connections yet.
const SERVER_GONE_STATES = new Set(["57P01", "57P02", "57P03"]);

/** True when the error says the server is unreachable (not that the query was wrong), so a retry may succeed. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && (CONNECTION_ERRNOS.has(code) || SERVER_GONE_STATES.has(code) || code.startsWith("08"))) return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|timeout exceeded when trying to connect|connection error/i.test(message);
}

/** Connection failures become DATABASE_UNAVAILABLE (503, retryable); query errors pass through unchanged. */
function asDatabaseError(error: unknown): unknown {
  return !(error instanceof VermilionError) && isConnectionFailure(error)
    ? new VermilionError("DATABASE_UNAVAILABLE", {}, { cause: error })
    : error;
}

function asQueryable(target: pg.Pool | PoolClient): Queryable {
  return {
    async query<Row>(sql: string, parameters?: readonly unknown[]) {
      try {
        const result = await target.query(sql, parameters ? [...parameters] : undefined);
        return { rows: result.rows as Row[] };
      } catch (error) {
        throw asDatabaseError(error);
      }
    },
  };
}

/** Connects to a PostgreSQL server; checks the connection before returning. */
export async function openPostgres(parameters: OpenPostgresParameters): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: parameters.connectionString,
    max: parameters.maxConnections ?? 10,
    // An unreachable server fails the request with DATABASE_UNAVAILABLE instead of hanging it.
    connectionTimeoutMillis: parameters.connectTimeoutMs ?? 10_000,
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
      const client = await pool.connect().catch((error: unknown) => {
        throw asDatabaseError(error);
      });
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(asQueryable(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        // A client whose connection failed is discarded, not handed to the next request.
        if (isConnectionFailure(error) || (error instanceof VermilionError && error.code === "DATABASE_UNAVAILABLE")) {
          broken = error instanceof Error ? error : new Error(String(error));
        }
        throw asDatabaseError(error);
      } finally {
        client.release(broken);
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
      await pool.query(sql).catch((error: unknown) => {
        throw asDatabaseError(error);
      });
    },
    close: () => pool.end(),
  };
}
