import type { RequestHandler, Response, Router } from "express";
import type { Options } from "express-rate-limit";
import type { Logger } from "pino";
import type { RateLimitName, RateLimitRule, RateLimitRules } from "../config/rateLimitRules.js";
import type { Database } from "../db/Database.js";

import express from "express";
import { MemoryStore, rateLimit } from "express-rate-limit";

import { clientIdentityOf, clientKeyOf } from "../auth/identifyClient.js";
import { VermilionError } from "../errors/VermilionError.js";
import { createDatabaseRateLimitStore } from "./createDatabaseRateLimitStore.js";

export interface RateLimitsDependencies {
  /** PostgreSQL: counted in the database, shared by every instance; embedded PGlite: in this process. */
  db: Pick<Database, "kind" | "query">;
  logger: Pick<Logger, "warn" | "error">;
}

/** What a limit is called in its error, its `RateLimit-Policy` header and its counters. */
const POLICY_NAMES: Record<RateLimitName, string> = {
  apiAnonymous: "api-anonymous",
  apiKey: "api-key",
  mint: "mint",
  verify: "verify",
  upload: "upload",
  ipfs: "ipfs",
  voucherRelay: "voucher-relay",
  claim: "claim",
};

/**
 * One express-rate-limit middleware for one rule, counting per `clientKeyOf` (the request's valid key,
 * else its address). Past the limit: 429 RATE_LIMITED naming the limit, with Retry-After and the
 * IETF draft-8 `RateLimit`/`RateLimit-Policy` headers.
 */
function createLimiter(
  deps: RateLimitsDependencies,
  name: RateLimitName,
  rule: RateLimitRule,
  skip?: Options["skip"],
): RequestHandler {
  const policy = POLICY_NAMES[name];
  return rateLimit({
    windowMs: rule.windowMs,
    limit: rule.limit,
    identifier: policy,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (_request, response) => clientKeyOf(response),
    ...(skip ? { skip } : {}),
    // A store that cannot count (the database unreachable) lets requests through, logged: each then fails
    // or succeeds on its own, and a liveness probe does not fail for the database's sake.
    passOnStoreError: true,
    store: deps.db.kind === "pglite" ? new MemoryStore() : createDatabaseRateLimitStore(deps.db, `${policy}:`),
    logger: {
      error: (error, message) => deps.logger.error({ err: error, limit: policy }, message ?? "rate limiter error"),
      warn: (error, message) => deps.logger.warn({ err: error, limit: policy }, message ?? "rate limiter warning"),
    },
    handler: (_request, response, next) => {
      next(
        new VermilionError("RATE_LIMITED", {
          limitName: policy,
          limit: rule.limit,
          windowSeconds: Math.round(rule.windowMs / 1000),
          retryAfterSeconds: Number(response.getHeader("Retry-After") ?? Math.ceil(rule.windowMs / 1000)),
        }),
      );
    },
  });
}

/**
 * Every limit on the routes it covers, mounted by the app before the routers (after `identifyClient`).
 * A request may count against several: every /api request against the anonymous or the per-key API
 * limit, and the costly routes against their own stricter one as well.
 */
export function createRateLimits(deps: RateLimitsDependencies, rules: RateLimitRules): Router {
  const router = express.Router();
  const isAuthenticated = (response: Response) => clientIdentityOf(response)?.authenticated !== undefined;
  const limiter = (name: RateLimitName, skip?: (response: Response) => boolean): RequestHandler | undefined => {
    const rule = rules[name];
    return rule ? createLimiter(deps, name, rule, skip ? (_request, response) => skip(response) : undefined) : undefined;
  };
  const apply = (mount: (handler: RequestHandler) => void, handler: RequestHandler | undefined) => {
    if (handler) mount(handler);
  };

  // A proxy nobody told the server about makes every visitor one address: say so once, in the log.
  let warnedAboutProxy = false;
  router.use((request, _response, next) => {
    if (!warnedAboutProxy && request.get("x-forwarded-for") !== undefined && request.app.get("trust proxy") === false) {
      warnedAboutProxy = true;
      deps.logger.warn(
        { remoteAddress: request.socket.remoteAddress },
        "a request carries X-Forwarded-For but TRUST_PROXY is off: behind a proxy every client counts as the proxy's address (docs/operating-in-public.md)",
      );
    }
    next();
  });

  apply((handler) => router.use("/api", handler), limiter("apiAnonymous", isAuthenticated));
  apply((handler) => router.use("/api", handler), limiter("apiKey", (response) => !isAuthenticated(response)));
  apply((handler) => router.post("/api/collections/:address/editions/:editionId/mint", handler), limiter("mint"));
  apply((handler) => {
    router.get("/api/tokens/:address/:tokenId/verify", handler);
    router.post("/api/collections/:address/editions/:editionId/verify", handler);
    router.get("/api/collections/:address/editions/:editionId/bundle.car", handler);
  }, limiter("verify"));
  apply((handler) => router.post("/api/collections/:address/editions", handler), limiter("upload"));
  apply((handler) => router.use("/ipfs", handler), limiter("ipfs"));
  apply((handler) => router.post("/api/vouchers/redeem", handler), limiter("voucherRelay"));
  apply((handler) => {
    router.post("/api/claims/:code/hold", handler);
    router.post("/api/claims/:code", handler);
  }, limiter("claim"));
  return router;
}
