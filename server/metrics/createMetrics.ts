import type { Queryable } from "../db/Database.js";
import type { IndexerStatus } from "../indexer/createIndexer.js";

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface CreateMetricsParameters {
  db: Queryable;
  chainId: number;
  /** How many mint-sender leases (one per signing key) this instance holds now. */
  mintSenderLeasesHeld?: () => number;
  /** The indexer's in-process status while this instance is the indexer writer, else null. */
  indexerStatus: () => IndexerStatus | null;
  /** Which cluster roles this instance holds now. */
  roles: () => Record<string, boolean>;
  /** A pinning service is configured: the remote-pin gauges are reported. */
  remotePinning?: boolean;
}

export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<"method" | "route" | "status">;
  rpcErrors: Counter<"method" | "kind">;
  ipfsPinFailures: Counter;
  /** Verifications actually computed (not answered from the cache or a shared in-flight run), by subject. */
  verificationRuns: Counter<"subject">;
  /** Content blocks the platform's verifications read from its store (media already hashed is not re-read). */
  verificationBlocksRead: Counter;
  /** Verifications running and waiting for a slot in this instance. */
  verificationQueue: Gauge<"state">;
  /** Wei the funding key sent to each issuer's keys (top-ups sent by this instance). */
  issuerGasFundedWei: Counter<"issuer">;
  /** Top-ups refused because the issuer's gas budget was spent (ISSUER_GAS_BUDGET_EXCEEDED). */
  issuerGasBudgetRefusals: Counter<"issuer">;
  /** Remote pinning steps that failed in this instance, by code (retried or not). */
  remotePinFailures: Counter<"code">;
  /** Mint transactions the node lost and this instance's senders sent again, by cause (dropped, reorged). */
  mintTransactionsLost: Counter<"cause">;
}

/**
 * The Prometheus metrics of one instance. Request latency and error counters are counted in the
 * process; the mint queue and sender nonce are read from the shared database at scrape time, so
 * every instance reports the same cluster-wide figures for them (aggregate with max, not sum).
 */
export function createMetrics(parameters: CreateMetricsParameters): Metrics {
  const { db } = parameters;
  const chainId = BigInt(parameters.chainId);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "vermilion_process_" });

  const httpRequestDuration = new Histogram({
    name: "vermilion_http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rpcErrors = new Counter({
    name: "vermilion_rpc_errors_total",
    help: "Failed JSON-RPC calls to the chain by method and kind (timeout, http, rpc, revert, network)",
    labelNames: ["method", "kind"] as const,
    registers: [registry],
  });
  const ipfsPinFailures = new Counter({
    name: "vermilion_ipfs_pin_failures_total",
    help: "IPFS writes that were to pin content and failed",
    registers: [registry],
  });

  const verificationRuns = new Counter({
    name: "vermilion_verification_runs_total",
    help: "Verifications computed by this instance (token, edition, bundle); cache hits and shared runs are not counted",
    labelNames: ["subject"] as const,
    registers: [registry],
  });
  const verificationBlocksRead = new Counter({
    name: "vermilion_verification_content_blocks_read_total",
    help: "Content blocks read from the store by this instance's verifications",
    registers: [registry],
  });

  const verificationQueue = new Gauge({
    name: "vermilion_verification_queue",
    help: "Verifications running and waiting for a slot in this instance, by state",
    labelNames: ["state"] as const,
    registers: [registry],
  });

  const mintTransactionsLost = new Counter({
    name: "vermilion_mint_transactions_lost_total",
    help: "Mint transactions the node no longer had (cause=dropped: gone from its mempool; cause=reorged: their block reorged away), re-broadcast from their stored signed bytes by this instance",
    labelNames: ["cause"] as const,
    registers: [registry],
  });
  mintTransactionsLost.inc({ cause: "dropped" }, 0);
  mintTransactionsLost.inc({ cause: "reorged" }, 0);

  new Gauge({
    name: "vermilion_mint_queue_depth",
    help: "Mint chunks accepted and not yet mined (cluster-wide), by state",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const rows = await readOrKeep(() =>
        db.query<{ state: string; chunks: bigint }>(
          `SELECT c.state, count(*)::int8 AS chunks FROM mint_chunks c JOIN mint_jobs j USING (job_id)
           WHERE j.chain_id = $1 AND c.state IN ('pending', 'sent') GROUP BY c.state`,
          [chainId],
        ),
      );
      if (!rows) return;
      this.reset();
      this.set({ state: "pending" }, 0);
      this.set({ state: "sent" }, 0);
      for (const row of rows) this.set({ state: row.state }, Number(row.chunks));
    },
  });
  new Gauge({
    name: "vermilion_mint_queue_oldest_age_seconds",
    help: "Age of the oldest mint job not yet completed or failed (0 when none)",
    registers: [registry],
    async collect() {
      const rows = await readOrKeep(() =>
        db.query<{ age: number | null }>(
          "SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM mint_jobs WHERE chain_id = $1 AND state IN ('queued', 'sending')",
          [chainId],
        ),
      );
      if (rows) this.set(rows[0]?.age ?? 0);
    },
  });
  new Gauge({
    name: "vermilion_sender_nonce",
    help: "Highest nonce each mint sender has signed with, by signing key (the platform's and every issuer's operating key)",
    labelNames: ["sender"] as const,
    registers: [registry],
    async collect() {
      const rows = await readOrKeep(() =>
        db.query<{ sender: string; nonce: bigint }>(
          "SELECT sender, max(nonce)::int8 AS nonce FROM chain_transactions WHERE chain_id = $1 GROUP BY sender",
          [chainId],
        ),
      );
      if (!rows) return;
      this.reset();
      for (const row of rows) this.set({ sender: row.sender }, Number(row.nonce));
    },
  });
  new Gauge({
    name: "vermilion_mint_sender_leases_held",
    help: "Mint-sender leases (one per signing key with open jobs) this instance holds: the keys it sends for now",
    registers: [registry],
    collect() {
      this.set(parameters.mintSenderLeasesHeld?.() ?? 0);
    },
  });
  new Gauge({
    name: "vermilion_mint_senders_open",
    help: "Signing keys with mint jobs queued or sending (cluster-wide): each needs its sender's lease held by some instance",
    registers: [registry],
    async collect() {
      const rows = await readOrKeep(() =>
        db.query<{ keys: bigint }>(
          "SELECT count(DISTINCT sender)::int8 AS keys FROM mint_jobs WHERE chain_id = $1 AND state IN ('queued', 'sending')",
          [chainId],
        ),
      );
      if (rows) this.set(Number(rows[0]?.keys ?? 0));
    },
  });
  new Gauge({
    name: "vermilion_mint_jobs_waiting",
    help: "Mint jobs set aside on a condition that may pass (cluster-wide), by code: ISSUER_KEY_REVOKED, ISSUER_GAS_BUDGET_EXCEEDED, GAS_FUNDING_EXHAUSTED, COLLECTION_PAUSED, FEE_CAP_BELOW_MARKET, FEE_BUMP_CAPPED (a stuck transaction at the fee cap), GAS_BUDGET_HOUR_SPENT",
    labelNames: ["code"] as const,
    registers: [registry],
    async collect() {
      const rows = await readOrKeep(() =>
        db.query<{ code: string; jobs: bigint }>(
          `SELECT waiting_code AS code, count(*)::int8 AS jobs FROM mint_jobs
           WHERE chain_id = $1 AND state IN ('queued', 'sending') AND waiting_code IS NOT NULL GROUP BY waiting_code`,
          [chainId],
        ),
      );
      if (!rows) return;
      this.reset();
      for (const row of rows) this.set({ code: row.code }, Number(row.jobs));
    },
  });
  new Gauge({
    name: "vermilion_gas_budget_hour_charged_wei",
    help: "Worst-case cost (gas limit × max fee per gas) of the transactions signed in the current clock hour (UTC), counted against GAS_BUDGET_PER_HOUR_ETH (cluster-wide; 0 without a budget)",
    registers: [registry],
    async collect() {
      const rows = await readOrKeep(() =>
        db.query<{ charged: string | null }>(
          `SELECT charged_wei::text AS charged FROM gas_budget_hours
           WHERE chain_id = $1 AND hour_start = date_trunc('hour', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
          [chainId],
        ),
      );
      if (rows) this.set(Number(rows[0]?.charged ?? 0));
    },
  });
  new Gauge({
    name: "vermilion_indexer_lag_blocks",
    help: "Blocks between the chain head and the indexer's checkpoint (reported by the indexer writer)",
    registers: [registry],
    collect() {
      const lag = parameters.indexerStatus()?.lagBlocks;
      this.set(lag === null || lag === undefined ? Number.NaN : Number(lag));
    },
  });
  new Gauge({
    name: "vermilion_indexer_lag_seconds",
    help: "Seconds since the block of the indexer's checkpoint was produced (cluster-wide, from the database)",
    registers: [registry],
    async collect() {
      const rows = await readOrKeep(() =>
        db.query<{ lag: number | null }>(
          `SELECT extract(epoch FROM now())::float8 - max(block_timestamp)::float8 AS lag FROM indexer_checkpoints WHERE chain_id = $1`,
          [chainId],
        ),
      );
      if (rows) this.set(rows[0]?.lag ?? Number.NaN);
    },
  });
  new Gauge({
    name: "vermilion_cluster_role_held",
    help: "1 when this instance holds the cluster role (mint sender, indexer writer), 0 otherwise",
    labelNames: ["role"] as const,
    registers: [registry],
    collect() {
      for (const [role, held] of Object.entries(parameters.roles())) this.set({ role }, held ? 1 : 0);
    },
  });

  const issuerGasFundedWei = new Counter({
    name: "vermilion_issuer_gas_funded_wei_total",
    help: "Wei the platform's funding key sent to each issuer's keys (counted by the instance that sent it)",
    labelNames: ["issuer"] as const,
    registers: [registry],
  });
  const issuerGasBudgetRefusals = new Counter({
    name: "vermilion_issuer_gas_budget_refusals_total",
    help: "Top-ups refused because the issuer's gas budget for the window was spent (ISSUER_GAS_BUDGET_EXCEEDED)",
    labelNames: ["issuer"] as const,
    registers: [registry],
  });
  const remotePinFailures = new Counter({
    name: "vermilion_remote_pin_failures_total",
    help: "Remote pinning steps that failed in this instance, by code: PINNING_SERVICE_UNAVAILABLE and PINNING_SERVICE_PIN_FAILED are retried, PINNING_SERVICE_UNAUTHORIZED and PINNING_SERVICE_REJECTED are not",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  if (parameters.remotePinning) {
    new Gauge({
      name: "vermilion_remote_pins",
      help: "Edition CIDs on the remote pinning service (cluster-wide), by status: pending, queued, pinning, pinned, failed, rejected",
      labelNames: ["status"] as const,
      registers: [registry],
      async collect() {
        const rows = await readOrKeep(() => db.query<{ state: string; pins: bigint }>("SELECT state, count(*)::int8 AS pins FROM remote_pins GROUP BY state"));
        if (!rows) return;
        this.reset();
        for (const status of ["pending", "queued", "pinning", "pinned", "failed", "rejected"]) this.set({ status }, 0);
        for (const row of rows) this.set({ status: row.state }, Number(row.pins));
      },
    });
    new Gauge({
      name: "vermilion_remote_pin_queue_oldest_age_seconds",
      help: "Age of the oldest edition CID not yet pinned remotely and still being tried (0 when none)",
      registers: [registry],
      async collect() {
        const rows = await readOrKeep(() =>
          db.query<{ age: number | null }>(
            "SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM remote_pins WHERE state IN ('pending', 'queued', 'pinning', 'failed')",
          ),
        );
        if (rows) this.set(rows[0]?.age ?? 0);
      },
    });
  }
  return {
    registry,
    httpRequestDuration,
    rpcErrors,
    ipfsPinFailures,
    verificationRuns,
    verificationBlocksRead,
    verificationQueue,
    issuerGasFundedWei,
    issuerGasBudgetRefusals,
    remotePinFailures,
    mintTransactionsLost,
  };
}

/**
 * The rows of a scrape-time query, or undefined when the database does not answer: the gauge then keeps
 * its last value rather than failing the whole scrape (the outage shows in /api/health/ready).
 */
async function readOrKeep<Row>(read: () => Promise<{ rows: Row[] }>): Promise<Row[] | undefined> {
  try {
    return (await read()).rows;
  } catch {
    return undefined;
  }
}

/** The kind of a failed RPC call, for `vermilion_rpc_errors_total`: few values, so few series. */
export function rpcErrorKind(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  if (/revert/i.test(message)) return "revert";
  if (name === "TimeoutError") return "timeout";
  if (name === "HttpRequestError") return /fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(message) ? "network" : "http";
  if (name.startsWith("Rpc") || name.endsWith("RpcError") || name === "RpcRequestError") return "rpc";
  return "other";
}
