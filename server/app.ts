import type { Express, Request, Router } from "express";
import type { Logger } from "pino";

import express from "express";
import helmet from "helmet";

import { VermilionError } from "./errors/VermilionError.js";
import { createErrorHandler } from "./http/errorResponse.js";

export interface CreateAppParameters {
  logger: Logger;
  /** Routers mounted in order, each owning its paths (health, issuers, provenance, gateway, web). */
  routers: Router[];
  jsonBodyLimitBytes?: number;
}

/** The HTTP application: security headers, JSON parsing, the capability routers, one error handler. */
export function createApp(parameters: CreateAppParameters): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(helmet());
  app.use(express.json({ limit: parameters.jsonBodyLimitBytes ?? 1_048_576 }));
  for (const router of parameters.routers) app.use(router);
  app.use("/api", (request: Request) => {
    throw new VermilionError("ROUTE_NOT_FOUND", { method: request.method, path: request.originalUrl });
  });
  app.use(
    createErrorHandler((error, request) =>
      parameters.logger.error({ err: error, method: request.method, path: request.originalUrl }, "request failed"),
    ),
  );
  return app;
}
