import type { Queryable } from "./Database.js";

/** What one maintenance pass did, by table name. */
export interface PgliteMaintenancePass {
  analyzed: string[];
  vacuumed: string[];
}

interface TableActivity {
  relname: string;
  n_live_tup: bigint;
  n_dead_tup: bigint;
  n_mod_since_analyze: bigint;
}

// PostgreSQL's autovacuum defaults: a table is analyzed once 50 rows + 10% of it changed since its last
// ANALYZE, vacuumed once 50 rows + 20% of it are dead.
const ANALYZE_BASE = 50n;
const ANALYZE_SHARE_PERCENT = 10n;
const VACUUM_BASE = 50n;
const VACUUM_SHARE_PERCENT = 20n;

/**
 * One pass of what PostgreSQL's autovacuum would do, for embedded PGlite, which runs as a single-user
 * backend without the autovacuum launcher: tables that changed enough get ANALYZE (fresh planner
 * statistics), tables with enough dead rows get VACUUM (ANALYZE). Without it the statistics of a table
 * stay those of when it was empty: the planner then takes the edition index with only its first two
 * columns for the indexer's per-token lookups and reads a whole collection per mint.
 */
export async function maintainPglite(db: Queryable): Promise<PgliteMaintenancePass> {
  // Counts reach pg_stat_* when the backend goes idle, at most once a second; this makes the next idle
  // moment (the end of this statement) flush them, so the pass below sees every change made until now.
  await db.query("SELECT pg_stat_force_next_flush()");
  const { rows } = await db.query<TableActivity>(
    `SELECT relname, n_live_tup, n_dead_tup, n_mod_since_analyze FROM pg_stat_user_tables
     WHERE schemaname = current_schema() ORDER BY relname`,
  );
  const pass: PgliteMaintenancePass = { analyzed: [], vacuumed: [] };
  for (const table of rows) {
    const identifier = `"${table.relname.replaceAll('"', '""')}"`;
    if (table.n_dead_tup * 100n > VACUUM_BASE * 100n + VACUUM_SHARE_PERCENT * table.n_live_tup) {
      await db.query(`VACUUM (ANALYZE) ${identifier}`);
      pass.vacuumed.push(table.relname);
    } else if (table.n_mod_since_analyze * 100n > ANALYZE_BASE * 100n + ANALYZE_SHARE_PERCENT * table.n_live_tup) {
      await db.query(`ANALYZE ${identifier}`);
      pass.analyzed.push(table.relname);
    }
  }
  return pass;
}
