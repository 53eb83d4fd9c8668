import type { Registry } from "prom-client";
import type { RouteDoc } from "../http/routeDoc.js";

import express from "express";

/**
 * `GET /metrics`: the Prometheus text exposition of this instance. Outside /api and without
 * authentication, as scrapers expect; keep it reachable from the monitoring network only (docs/cluster.md).
 */
export function createMetricsRouter(registry: Registry): express.Router {
  const router = express.Router();
  router.get("/metrics", async (_request, response, next) => {
    try {
      const body = await registry.metrics();
      response.type(registry.contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/** The route above, for the OpenAPI document. */
export const metricsRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/metrics",
    summary: "Prometheus metrics (latency, mint queue, sender nonce, indexer lag, RPC and pin errors); firewall it",
    auth: "none",
    responses: { 200: "Prometheus text format" },
  },
];
