/**
 * Indexer ingest benchmark: Transfer events per second from a cold start over the transfer chain
 * (bench/chain/buildTransferChain.ts), for the platform's indexer on PGlite and on PostgreSQL, against
 * Ponder (bench/peers/ponder) indexing the same Transfer events from the same Anvil into the same
 * PostgreSQL server. Rounds alternate the three, so drift in machine load hits all alike; every run is
 * checked (counts, owners) before its figure is kept.
 *
 * Run: npm run bench:ingest  (smaller: BENCH_TOKENS=5000 BENCH_ROUNDS=1 npm run bench:ingest;
 * BENCH_SKIP_PONDER=1 leaves Ponder out; BENCH_ONLY=vermilion-postgres,ponder-postgres picks indexers)
 */
import type { Database } from "../../server/db/Database.js";
import type { TransferChain } from "../chain/buildTransferChain.js";
import type { IngestResults, IngestRun } from "./ingestResults.js";

import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { migrate } from "../../server/db/migrate.js";
import { openPglite } from "../../server/db/openPglite.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { buildTransferChain } from "../chain/buildTransferChain.js";
import { ensurePonderInstalled, startPonder } from "../support/ponderPeer.js";
import { spreadOf } from "../support/stats.js";
import { BENCH_POSTGRES_URL, benchVersions } from "../support/versions.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";
import { BENCH_MAX_BLOCK_RANGE, checkTransferIndex, indexTransferChain } from "./indexTransferChain.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PONDER_TIMEOUT_MS = Number(process.env.BENCH_PONDER_TIMEOUT_MS ?? 3_600_000);
const log = (message: string) => console.log(`[ingest] ${message}`);

async function runOurs(chain: TransferChain, engine: "pglite" | "postgres"): Promise<number> {
  let db: Database;
  let cleanup: () => Promise<void>;
  const started = performance.now();
  if (engine === "pglite") {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-bench-ingest-"));
    db = await openPglite({ dataDir });
    cleanup = async () => {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    };
  } else {
    const schema = `bench_ingest_${randomUUID().replaceAll("-", "")}`;
    db = await openPostgres({ connectionString: BENCH_POSTGRES_URL, schema });
    cleanup = async () => {
      await db.close();
      const admin = await openPostgres({ connectionString: BENCH_POSTGRES_URL });
      await admin.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.close();
    };
  }
  try {
    // A cold start: creating the tables is part of it.
    await migrate(db);
    await indexTransferChain(db, chain);
    const seconds = (performance.now() - started) / 1000;
    await checkTransferIndex(db, chain);
    return seconds;
  } finally {
    await cleanup();
  }
}

/** One cold Ponder run: seconds from spawning `ponder start` until every transfer is in its table. */
async function runPonder(chain: TransferChain): Promise<number> {
  const started = performance.now();
  const ponder = await startPonder(chain, { maxBlockRange: BENCH_MAX_BLOCK_RANGE });
  try {
    await ponder.waitForTransfers(PONDER_TIMEOUT_MS);
    const seconds = (performance.now() - started) / 1000;
    // Ponder's answer is checked like ours: every transfer, and sampled owners against the chain.
    await ponder.check();
    return seconds;
  } finally {
    await ponder.stop();
  }
}

const chain = await buildTransferChain({ tokens: TOKENS, log });
try {
  let ponderProblem: string | null = process.env.BENCH_SKIP_PONDER ? "left out of this run (BENCH_SKIP_PONDER)" : null;
  if (!ponderProblem) {
    try {
      await ensurePonderInstalled(log);
    } catch (error) {
      ponderProblem = `could not be installed: ${(error as Error).message.split("\n")[0]}`;
    }
  }
  const runs: IngestRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const indexer of ["vermilion-pglite", "vermilion-postgres", "ponder-postgres"] as const) {
      if (indexer === "ponder-postgres" && ponderProblem) continue;
      if (process.env.BENCH_ONLY && !process.env.BENCH_ONLY.split(",").includes(indexer)) continue;
      try {
        const seconds = indexer === "ponder-postgres" ? await runPonder(chain) : await runOurs(chain, indexer === "vermilion-pglite" ? "pglite" : "postgres");
        runs.push({ round, indexer, seconds, transfersPerSecond: chain.transferLogs / seconds });
        log(`round ${round + 1} ${indexer}: ${seconds.toFixed(1)} s, ${(chain.transferLogs / seconds).toFixed(0)} transfers/s`);
      } catch (error) {
        if (indexer !== "ponder-postgres") throw error;
        ponderProblem = `failed: ${(error as Error).message.slice(0, 2_500)}`;
        log(`ponder ${ponderProblem}`);
      }
    }
  }
  const of = (indexer: IngestRun["indexer"]) => runs.filter((run) => run.indexer === indexer);
  const ratios = (ours: IngestRun["indexer"]) =>
    of(ours).flatMap((run) => {
      const peer = of("ponder-postgres").find((candidate) => candidate.round === run.round);
      return peer ? [run.transfersPerSecond / peer.transfersPerSecond] : [];
    });
  const results: IngestResults = {
    generatedAt: new Date().toISOString(),
    command: TOKENS === 100_000 && ROUNDS === 3 ? "npm run bench:ingest" : `BENCH_TOKENS=${TOKENS} BENCH_ROUNDS=${ROUNDS} npm run bench:ingest`,
    versions: await benchVersions(),
    chain: { tokens: chain.tokenIds.length, transferLogs: chain.transferLogs, blocks: Number(chain.headBlock), buildSeconds: chain.buildSeconds },
    maxBlockRange: BENCH_MAX_BLOCK_RANGE,
    rounds: ROUNDS,
    runs,
    transfersPerSecond: {
      "vermilion-pglite": of("vermilion-pglite").length ? spreadOf(of("vermilion-pglite").map((run) => run.transfersPerSecond), 0) : null,
      "vermilion-postgres": of("vermilion-postgres").length ? spreadOf(of("vermilion-postgres").map((run) => run.transfersPerSecond), 0) : null,
      "ponder-postgres": of("ponder-postgres").length ? spreadOf(of("ponder-postgres").map((run) => run.transfersPerSecond), 0) : null,
    },
    vsPonder: {
      pglite: ratios("vermilion-pglite").length ? spreadOf(ratios("vermilion-pglite"), 2) : null,
      postgres: ratios("vermilion-postgres").length ? spreadOf(ratios("vermilion-postgres"), 2) : null,
    },
    ponderProblem,
  };
  // A second chain size can be kept beside the main one (BENCH_RESULTS_NAME=ingest-small), and both are reported.
  const resultsName = process.env.BENCH_RESULTS_NAME ?? "ingest";
  await writeFile(path.join(root, "bench", "results", `${resultsName}.json`), `${JSON.stringify(results, null, 2)}\n`);
  await writeBenchmarksReport(root);
  log(JSON.stringify({ transfersPerSecond: results.transfersPerSecond, vsPonder: results.vsPonder, ponderProblem }));
} finally {
  await chain.anvil.stop();
}
