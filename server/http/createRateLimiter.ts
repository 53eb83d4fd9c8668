import type { Request, RequestHandler } from "express";
import type { Queryable } from "../db/Database.js";

import { createHash } from "node:crypto";

import { VermilionError } from "../errors/VermilionError.js";

export interface RateLimitRule {
  /** Names the limit in the bucket key (e.g. "mint", "auth"). */
  name: string;
  limit: number;
  windowMs: number;
}

/** Who a request counts against: its API key when it has one (hashed), else its address. */
function clientKey(request: Request): string {
  const authorization = request.get("authorization");
  if (authorization) return `key:${createHash("sha256").update(authorization).digest("hex").slice(0, 32)}`;
  return `ip:${request.ip ?? "unknown"}`;
}

/**
 * A fixed-window limit counted in the database, so every instance of the API shares it. Over the
 * limit: 429 RATE_LIMITED with Retry-After. Old windows are pruned as they are passed.
 */
export function createRateLimiter(db: Queryable, rule: RateLimitRule): RequestHandler {
  let lastPruneMs = 0;
  return async (request, response, next) => {
    const nowMs = Date.now();
    const windowStartMs = nowMs - (nowMs % rule.windowMs);
    const bucket = `${rule.name}:${clientKey(request)}`;
    const { rows } = await db.query<{ request_count: number }>(
      `INSERT INTO rate_limit_windows (bucket, window_start, request_count) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET request_count = rate_limit_windows.request_count + 1
       RETURNING request_count`,
      [bucket, new Date(windowStartMs)],
    );
    if (nowMs - lastPruneMs > rule.windowMs) {
      lastPruneMs = nowMs;
      await db.query("DELETE FROM rate_limit_windows WHERE window_start < $1", [new Date(windowStartMs - rule.windowMs)]);
    }
    const count = rows[0]?.request_count ?? 0;
    const retryAfterSeconds = Math.ceil((windowStartMs + rule.windowMs - nowMs) / 1000);
    response.setHeader("RateLimit-Limit", String(rule.limit));
    response.setHeader("RateLimit-Remaining", String(Math.max(0, rule.limit - count)));
    if (count > rule.limit) {
      response.setHeader("Retry-After", String(retryAfterSeconds));
      throw new VermilionError("RATE_LIMITED", {
        limit: rule.limit,
        windowSeconds: Math.round(rule.windowMs / 1000),
        retryAfterSeconds,
      });
    }
    next();
  };
}
