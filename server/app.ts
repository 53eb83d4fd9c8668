import type { Express, Request, Router } from "express";
import type { Logger } from "pino";
import type { Histogram } from "prom-client";

import express from "express";
import helmet from "helmet";

import type { RateLimitCounter } from "./http/createRateLimitCounter.js";
import type { RateLimitRule } from "./http/createRateLimiter.js";

import { VermilionError } from "./errors/VermilionError.js";
import { createRateLimiter } from "./http/createRateLimiter.js";
import { refuseNulText } from "./http/refuseNulText.js";
import { createErrorHandler } from "./http/errorResponse.js";
import { createRequestContext, requestIdOf } from "./http/requestContext.js";

export interface CreateAppParameters {
  logger: Logger;
  /** Routers mounted in order, each owning its paths (health, issuers, provenance, gateway, web). */
  routers: Router[];
  jsonBodyLimitBytes?: number;
  /** The limit on every API request, counted by `counter` (routers apply their own stricter ones). */
  rateLimits?: { counter: RateLimitCounter; api: RateLimitRule };
  /** Request latency histogram (Prometheus), observed per route pattern. */
  httpRequestDuration?: Histogram<"method" | "route" | "status">;
}

/** Generous: every read of a page or token counts against it. */
export const DEFAULT_API_RATE_LIMIT = { name: "api", limit: 1_200, windowMs: 60_000 } as const satisfies RateLimitRule;

/** The HTTP application: security headers, JSON parsing, the capability routers, one error handler. */
export function createApp(parameters: CreateAppParameters): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(
    createRequestContext({
      logger: parameters.logger,
      ...(parameters.httpRequestDuration ? { httpRequestDuration: parameters.httpRequestDuration } : {}),
    }),
  );
  app.use(helmet());
  if (parameters.rateLimits) {
    const { counter, api } = parameters.rateLimits;
    app.use("/api", createRateLimiter(counter, api));
  }
  app.use(express.json({ limit: parameters.jsonBodyLimitBytes ?? 1_048_576 }));
  app.use(refuseNulText());
  for (const router of parameters.routers) app.use(router);
  app.use("/api", (request: Request) => {
    throw new VermilionError("ROUTE_NOT_FOUND", { method: request.method, path: request.originalUrl });
  });
  app.use(
    createErrorHandler((error, request, response) =>
      parameters.logger.error(
        { err: error, requestId: requestIdOf(response), method: request.method, path: request.originalUrl },
        "request failed",
      ),
    ),
  );
  return app;
}
