import type { Express, Request, RequestHandler, Router } from "express";
import type { Logger } from "pino";
import type { Histogram } from "prom-client";

import express from "express";
import helmet from "helmet";

import type { TrustProxy } from "./config/trustProxySchema.js";

import { VermilionError } from "./errors/VermilionError.js";
import { refuseNulText } from "./http/refuseNulText.js";
import { createErrorHandler } from "./http/errorResponse.js";
import { createRequestContext, requestIdOf } from "./http/requestContext.js";

export interface CreateAppParameters {
  logger: Logger;
  /** Routers mounted in order, each owning its paths (health, issuers, provenance, gateway, web). */
  routers: Router[];
  jsonBodyLimitBytes?: number;
  /** Express's `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-For decides `request.ip`. */
  trustProxy?: TrustProxy;
  /** Resolves each request's client (its valid key, else its address) once, before any limit counts it. */
  identifyClient?: RequestHandler;
  /** Every rate limit, each on the paths it covers (server/http/rateLimits.ts). */
  rateLimits?: Router;
  /** Request latency histogram (Prometheus), observed per route pattern. */
  httpRequestDuration?: Histogram<"method" | "route" | "status">;
}

/** The HTTP application: security headers, JSON parsing, the capability routers, one error handler. */
export function createApp(parameters: CreateAppParameters): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.set("trust proxy", parameters.trustProxy ?? false);
  app.use(
    createRequestContext({
      logger: parameters.logger,
      ...(parameters.httpRequestDuration ? { httpRequestDuration: parameters.httpRequestDuration } : {}),
    }),
  );
  app.use(helmet());
  if (parameters.identifyClient) app.use(parameters.identifyClient);
  if (parameters.rateLimits) app.use(parameters.rateLimits);
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
