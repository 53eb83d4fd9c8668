import type { Options, Store } from "express-rate-limit";
import type { Queryable } from "../db/Database.js";

/** The current fixed window, by the database's clock: instances whose clocks differ still share one. */
const CURRENT_WINDOW = "date_bin($2 * interval '1 millisecond', now(), timestamptz 'epoch')";

/**
 * express-rate-limit's Store over the platform's own database (`rate_limit_windows`), so every
 * instance on one PostgreSQL counts against the same limit: one upsert per request, on the pool and
 * migrations the platform already has. The library keeps windows' arithmetic, headers and keys.
 */
export function createDatabaseRateLimitStore(db: Queryable, prefix: string): Store {
  let windowMs = 60_000;
  let lastPruneMs = 0;
  return {
    prefix,
    localKeys: false,
    init(options: Options) {
      windowMs = options.windowMs;
    },
    async increment(key) {
      const { rows } = await db.query<{ request_count: number; window_start: Date | string }>(
        `INSERT INTO rate_limit_windows (bucket, window_start, request_count) VALUES ($1, ${CURRENT_WINDOW}, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET request_count = rate_limit_windows.request_count + 1
         RETURNING request_count, window_start`,
        [prefix + key, windowMs],
      );
      // Ended windows are dropped as time passes them, at most once a window per limit and instance.
      if (Date.now() - lastPruneMs > windowMs) {
        lastPruneMs = Date.now();
        await db.query(
          "DELETE FROM rate_limit_windows WHERE starts_with(bucket, $1) AND window_start < now() - $2 * interval '1 millisecond'",
          [prefix, windowMs],
        );
      }
      const row = rows[0]!;
      return { totalHits: row.request_count, resetTime: new Date(new Date(row.window_start).getTime() + windowMs) };
    },
    async decrement(key) {
      await db.query(
        `UPDATE rate_limit_windows SET request_count = greatest(request_count - 1, 0)
         WHERE bucket = $1 AND window_start = ${CURRENT_WINDOW}`,
        [prefix + key, windowMs],
      );
    },
    async resetKey(key) {
      await db.query("DELETE FROM rate_limit_windows WHERE bucket = $1", [prefix + key]);
    },
  };
}
