import type { Database, Queryable } from "../db/Database.js";

/** Counts requests per bucket and fixed window; `increment` answers the count including this request. */
export interface RateLimitCounter {
  increment(bucket: string, windowStartMs: number, windowMs: number): Promise<number>;
}

/**
 * Counted in the shared database, so every instance of the API behind one PostgreSQL counts against the
 * same limit. Windows older than the previous one are pruned as they are passed.
 */
export function createDatabaseRateLimitCounter(db: Queryable): RateLimitCounter {
  let lastPruneMs = 0;
  return {
    async increment(bucket, windowStartMs, windowMs) {
      const { rows } = await db.query<{ request_count: number }>(
        `INSERT INTO rate_limit_windows (bucket, window_start, request_count) VALUES ($1, $2, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET request_count = rate_limit_windows.request_count + 1
         RETURNING request_count`,
        [bucket, new Date(windowStartMs)],
      );
      if (windowStartMs - lastPruneMs > windowMs) {
        lastPruneMs = windowStartMs;
        await db.query("DELETE FROM rate_limit_windows WHERE window_start < $1", [new Date(windowStartMs - windowMs)]);
      }
      return rows[0]?.request_count ?? 0;
    },
  };
}

/**
 * Counted in this process. Right where only one process can serve the database (embedded PGlite): the
 * count is the same as the database's, without the write per request that on PGlite waits behind the
 * indexer's and the mint sender's work (measured at 2 ms a request, the largest share of PGlite's time
 * in the mint benchmark's single mints).
 */
export function createMemoryRateLimitCounter(): RateLimitCounter {
  const windows = new Map<string, { windowStartMs: number; count: number }>();
  let lastPruneMs = 0;
  return {
    increment(bucket, windowStartMs, windowMs) {
      if (windowStartMs - lastPruneMs > windowMs) {
        lastPruneMs = windowStartMs;
        for (const [key, window] of windows) if (window.windowStartMs < windowStartMs) windows.delete(key);
      }
      const current = windows.get(bucket);
      const count = current && current.windowStartMs === windowStartMs ? current.count + 1 : 1;
      windows.set(bucket, { windowStartMs, count });
      return Promise.resolve(count);
    },
  };
}

/** The counter a database calls for: in memory for embedded PGlite (one process), in the database otherwise. */
export function rateLimitCounterFor(db: Database): RateLimitCounter {
  return db.kind === "pglite" ? createMemoryRateLimitCounter() : createDatabaseRateLimitCounter(db);
}
