import type { RouteDoc } from "../http/routeDoc.js";
import type { Indexer } from "./createIndexer.js";

import { Router } from "express";

export interface CreateIndexerHealthRouterParameters {
  indexer: Pick<Indexer, "status">;
  /** Lag, in blocks, above which the indexer reports itself unhealthy (503). */
  maxLagBlocks?: number;
}

/**
 * `GET /api/health/indexer`: the indexer's state, checkpoint, chain head and lag, and its last error;
 * 503 when halted or lagging more than `maxLagBlocks`, so a load balancer or monitor can act on it.
 */
export function createIndexerHealthRouter(parameters: CreateIndexerHealthRouterParameters): Router {
  const router = Router();
  const maxLagBlocks = BigInt(parameters.maxLagBlocks ?? 100);
  router.get("/api/health/indexer", (_request, response) => {
    const status = parameters.indexer.status();
    const healthy = status.state !== "halted" && status.state !== "stopped" && (status.lagBlocks ?? 0n) <= maxLagBlocks;
    const asNumber = (value: bigint | null) => (value === null ? null : Number(value));
    response.status(healthy ? 200 : 503).json({
      healthy,
      state: status.state,
      chainId: asNumber(status.chainId),
      checkpointBlock: asNumber(status.checkpointBlock),
      headBlock: asNumber(status.headBlock),
      lagBlocks: asNumber(status.lagBlocks),
      blockRange: status.blockRange,
      reorgWindowBlocks: status.reorgWindowBlocks,
      reorgsHandled: status.reorgsHandled,
      consecutiveFailures: status.consecutiveFailures,
      rpcCallsRetried: status.rpcCallsRetried,
      lastError: status.lastError,
    });
  });
  return router;
}

/** The route above, for the OpenAPI document. */
export const indexerHealthRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/health/indexer",
    summary: "Indexer state, checkpoint, chain head, lag, retries and last error",
    auth: "none",
    responses: { 200: "Indexing and within the allowed lag", 503: "Halted, stopped or lagging" },
  },
];
