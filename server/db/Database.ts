/** Something SQL can run on: the database itself or an open transaction. Parameters are `$1, $2, …`. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

/**
 * The platform's database: embedded PGlite or a PostgreSQL server, behind one interface so every query
 * and migration runs unchanged on both. `int8` columns come back as `bigint` from both.
 */
export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `work` holding a cluster-wide lock named by `key` (a PostgreSQL session advisory lock on a
   * connection of its own, freed by the server if this process dies). Embedded PGlite is opened by one
   * process only, so there it serializes within the process.
   */
  withAdvisoryLock<T>(key: bigint, work: () => Promise<T>): Promise<T>;
  /** Runs several `;`-separated statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
