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
  /** Runs several `;`-separated statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
