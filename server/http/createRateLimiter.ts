import type { Request, RequestHandler } from "express";
import type { RateLimitCounter } from "./createRateLimitCounter.js";

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
 * A fixed-window limit, counted by `counter` (in the shared database when several instances serve it).
 * Over the limit: 429 RATE_LIMITED with Retry-After.
 */
export function createRateLimiter(counter: RateLimitCounter, rule: RateLimitRule): RequestHandler {
  return async (request, response, next) => {
    const nowMs = Date.now();
    const windowStartMs = nowMs - (nowMs % rule.windowMs);
    const bucket = `${rule.name}:${clientKey(request)}`;
    const count = await counter.increment(bucket, windowStartMs, rule.windowMs);
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
