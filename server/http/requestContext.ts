import type { RequestHandler, Response } from "express";
import type { Logger } from "pino";
import type { Histogram } from "prom-client";

import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

/** What a caller may send as `X-Request-Id` and have echoed and logged; anything else is replaced. */
const ACCEPTABLE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;
const PROBE_PATH = /^\/(metrics$|api\/health(\/|$))/;

export interface RequestContextParameters {
  logger: Logger;
  /** Observed once per finished request, labelled with the route pattern (never the raw path). */
  httpRequestDuration?: Histogram<"method" | "route" | "status">;
}

/** The request id of a request (set by `createRequestContext`). */
export function requestIdOf(response: Response): string | undefined {
  return (response.locals as { requestId?: string }).requestId;
}

/**
 * Gives every request an id — the caller's `X-Request-Id` when it is a sane token, a fresh UUID
 * otherwise — echoed in the response header and carried by every log line of the request, so one
 * request can be followed across a load balancer, instances and logs. Logs one line per finished
 * request and records its latency.
 */
export function createRequestContext(parameters: RequestContextParameters): RequestHandler {
  return (request, response, next) => {
    const offered = request.get("x-request-id");
    const requestId = offered && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
    response.locals.requestId = requestId;
    response.setHeader("x-request-id", requestId);
    const startedAt = performance.now();
    response.once("finish", () => {
      const durationMs = performance.now() - startedAt;
      // The matched pattern keeps label values few; unmatched paths share one value.
      const route = request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : "unmatched";
      parameters.httpRequestDuration?.observe(
        { method: request.method, route, status: String(response.statusCode) },
        durationMs / 1000,
      );
      // Probes and scrapes arrive every few seconds from every monitor: logged only when debugging.
      const level = PROBE_PATH.test(request.path) && response.statusCode < 400 ? "debug" : "info";
      parameters.logger[level](
        { requestId, method: request.method, route, path: request.path, status: response.statusCode, durationMs: Math.round(durationMs) },
        "request",
      );
    });
    next();
  };
}
