import type { Router } from "express";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Database } from "../db/Database.js";
import type { RouteDoc } from "../http/routeDoc.js";

import express from "express";

import { pendingMigrations } from "../db/migrate.js";

export interface HealthDependencies {
  chain: Pick<ChainClients, "chainId" | "publicClient">;
  db: Database;
  /** The last block the indexer committed, once an indexer runs. */
  indexedBlock?: () => Promise<bigint | null>;
  /** Whether the IPFS store answers, once one is attached. */
  ipfsStatus?: () => Promise<"ok" | "unavailable">;
  /** False once the instance is shutting down (or before it finished starting): not ready for traffic. */
  accepting?: () => boolean;
  /** Which cluster roles this instance holds (mint sender, indexer writer), for operators. */
  roles?: () => Record<string, boolean>;
}

async function settle<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await work() };
  } catch {
    return { ok: false };
  }
}

/**
 * `GET /api/health`: 200 when chain and database answer, 503 otherwise, with each part's state.
 * `GET /api/health/live`: 200 while the process serves HTTP at all (restart it when this fails).
 * `GET /api/health/ready`: 200 when this instance should get traffic — database and chain answer,
 * migrations are applied, and it is not shutting down (take it out of rotation when this fails).
 */
export function createHealthRouter(deps: HealthDependencies): Router {
  const router = express.Router();
  router.get("/api/health", async (_request, response) => {
    const [head, database, indexed, ipfs] = await Promise.all([
      settle(() => deps.chain.publicClient.getBlockNumber({ cacheTime: 0 })),
      settle(() => deps.db.query("SELECT 1")),
      settle(async () => (deps.indexedBlock ? deps.indexedBlock() : null)),
      settle(async () => (deps.ipfsStatus ? deps.ipfsStatus() : "not configured")),
    ]);
    const headBlock = head.ok ? head.value : null;
    const indexedBlock = indexed.ok ? indexed.value : null;
    const healthy = head.ok && database.ok;
    response.status(healthy ? 200 : 503).json({
      status: healthy ? "ok" : "degraded",
      chainId: deps.chain.chainId,
      headBlock: headBlock?.toString() ?? null,
      indexedBlock: indexedBlock?.toString() ?? null,
      lagBlocks: headBlock !== null && indexedBlock !== null ? (headBlock - indexedBlock).toString() : null,
      chain: head.ok ? "ok" : "unavailable",
      database: database.ok ? "ok" : "unavailable",
      ipfs: ipfs.ok ? ipfs.value : "unavailable",
    });
  });
  router.get("/api/health/live", (_request, response) => {
    response.json({ status: "live" });
  });
  router.get("/api/health/ready", async (_request, response) => {
    const accepting = deps.accepting?.() ?? true;
    const [head, migrations] = await Promise.all([
      settle(() => deps.chain.publicClient.getBlockNumber({ cacheTime: 0 })),
      // The database answers and holds the schema this build expects (migrate() ran to the end).
      settle(() => pendingMigrations(deps.db)),
    ]);
    const migrated = migrations.ok && migrations.value.length === 0;
    const ready = accepting && head.ok && migrated;
    response.status(ready ? 200 : 503).json({
      status: ready ? "ready" : "not ready",
      accepting,
      chain: head.ok ? "ok" : "unavailable",
      database: !migrations.ok ? "unavailable" : migrated ? "ok" : "not migrated",
      roles: deps.roles?.() ?? {},
    });
  });
  return router;
}

/** The routes above, for the OpenAPI document. */
export const healthRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Chain, database, index and IPFS status",
    auth: "none",
    responses: { 200: "Healthy", 503: "Chain or database unavailable" },
  },
  {
    method: "get",
    path: "/api/health/live",
    summary: "Liveness: the process answers HTTP",
    auth: "none",
    responses: { 200: "Live" },
  },
  {
    method: "get",
    path: "/api/health/ready",
    summary: "Readiness: database migrated and reachable, chain reachable, not shutting down; cluster roles held",
    auth: "none",
    responses: { 200: "Ready for traffic", 503: "Not ready (starting, shutting down, or a dependency is down)" },
  },
];
