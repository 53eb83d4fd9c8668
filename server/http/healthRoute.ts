import type { Router } from "express";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Database } from "../db/Database.js";

import express from "express";
import type { RouteDoc } from "./routeDoc.js";

export interface HealthDependencies {
  chain: Pick<ChainClients, "chainId" | "publicClient">;
  db: Database;
  /** The last block the indexer committed, once an indexer runs. */
  indexedBlock?: () => Promise<bigint | null>;
  /** Whether the IPFS store answers, once one is attached. */
  ipfsStatus?: () => Promise<"ok" | "unavailable">;
}

async function settle<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await work() };
  } catch {
    return { ok: false };
  }
}

/** `GET /api/health`: 200 when chain and database answer, 503 otherwise, with each part's state. */
export function createHealthRouter(dependencies: HealthDependencies): Router {
  const router = express.Router();
  router.get("/api/health", async (_request, response) => {
    const [head, database, indexed, ipfs] = await Promise.all([
      settle(() => dependencies.chain.publicClient.getBlockNumber({ cacheTime: 0 })),
      settle(() => dependencies.db.query("SELECT 1")),
      settle(async () => (dependencies.indexedBlock ? dependencies.indexedBlock() : null)),
      settle(async () => (dependencies.ipfsStatus ? dependencies.ipfsStatus() : "not configured")),
    ]);
    const headBlock = head.ok ? head.value : null;
    const indexedBlock = indexed.ok ? indexed.value : null;
    const healthy = head.ok && database.ok;
    response.status(healthy ? 200 : 503).json({
      status: healthy ? "ok" : "degraded",
      chainId: dependencies.chain.chainId,
      headBlock: headBlock?.toString() ?? null,
      indexedBlock: indexedBlock?.toString() ?? null,
      lagBlocks: headBlock !== null && indexedBlock !== null ? (headBlock - indexedBlock).toString() : null,
      chain: head.ok ? "ok" : "unavailable",
      database: database.ok ? "ok" : "unavailable",
      ipfs: ipfs.ok ? ipfs.value : "unavailable",
    });
  });
  return router;
}

/** The route above, for the OpenAPI document. */
export const healthRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Chain, database, index and IPFS status",
    auth: "none",
    responses: { 200: "Healthy", 503: "Chain or database unavailable" },
  },
];
