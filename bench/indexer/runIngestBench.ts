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
import type { ChildProcess } from "node:child_process";
import type { Database } from "../../server/db/Database.js";
import type { TransferChain } from "../chain/buildTransferChain.js";
import type { IngestResults, IngestRun } from "./ingestResults.js";

import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { findFreePort } from "../../server/chain/startAnvil.js";
import { migrate } from "../../server/db/migrate.js";
import { openPglite } from "../../server/db/openPglite.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { buildTransferChain } from "../chain/buildTransferChain.js";
import { spreadOf } from "../support/stats.js";
import { BENCH_POSTGRES_URL, benchVersions } from "../support/versions.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";
import { BENCH_MAX_BLOCK_RANGE, checkTransferIndex, indexTransferChain } from "./indexTransferChain.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const ponderDir = path.join(root, "bench", "peers", "ponder");
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

async function ensurePonderInstalled(): Promise<void> {
  try {
    await access(path.join(ponderDir, "node_modules", "ponder", "package.json"));
  } catch {
    log("installing Ponder (npm ci in bench/peers/ponder)…");
    await promisify(execFile)("npx", ["-y", "-p", "node@22", "npm", "ci", "--no-audit", "--no-fund", "--prefix", ponderDir], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * One cold Ponder run in a database of its own: seconds from spawning `ponder start` until every transfer
 * is in its table. A fresh database, not only a fresh schema, because Ponder keeps an RPC cache
 * (`ponder_sync`) per database keyed by chain id and address, and every benchmark chain reuses chain id
 * 31337 and the same deterministic addresses: a shared cache would feed it logs of earlier chains.
 */
async function runPonder(chain: TransferChain): Promise<number> {
  const database = `bench_ponder_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const schema = "bench";
  const server = await openPostgres({ connectionString: BENCH_POSTGRES_URL });
  await server.exec(`CREATE DATABASE "${database}"`);
  const databaseUrl = new URL(BENCH_POSTGRES_URL);
  databaseUrl.pathname = `/${database}`;
  const port = await findFreePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(ponderDir, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js"), "start", "--schema", schema, "--port", String(port), "--log-level", "warn"],
    {
      cwd: ponderDir,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl.toString(),
        PONDER_RPC_URL: chain.anvil.rpcUrl,
        PONDER_COLLECTION: chain.collection,
        PONDER_START_BLOCK: chain.chain.factoryBlock.toString(),
        PONDER_GET_LOGS_BLOCK_RANGE: String(BENCH_MAX_BLOCK_RANGE),
        PONDER_TELEMETRY_DISABLED: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const admin = await openPostgres({ connectionString: databaseUrl.toString() });
  try {
    // Ponder's /ready turns 200 once its historical sync is done, before the newest blocks (its realtime
    // range) are indexed, so the head counts as reached when every transfer of the chain is in its table.
    const deadline = Date.now() + PONDER_TIMEOUT_MS;
    const countRows = async () => {
      try {
        // Distinct steps as well as rows: on this chain a step (token, block, from, to) happens once.
        const { rows } = await admin.query<{ transfers: bigint; steps: bigint; tokens: bigint }>(
          `SELECT (SELECT count(*) FROM "${schema}".transfer)::int8 AS transfers,
             (SELECT count(DISTINCT (token_id, block_number, "from", "to")) FROM "${schema}".transfer)::int8 AS steps,
             (SELECT count(*) FROM "${schema}".token)::int8 AS tokens`,
        );
        return rows[0] ?? { transfers: 0n, steps: 0n, tokens: 0n };
      } catch {
        return { transfers: 0n, steps: 0n, tokens: 0n }; // its tables do not exist yet
      }
    };
    let counts = await countRows();
    while (counts.steps < BigInt(chain.transferLogs)) {
      if (child.exitCode !== null) throw new Error(`ponder exited with code ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`ponder did not reach the head within ${PONDER_TIMEOUT_MS} ms (${counts.transfers} transfers):\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      counts = await countRows();
    }
    const seconds = (performance.now() - started) / 1000;
    // Ponder's answer is checked like ours: every transfer, and sampled owners against the chain.
    if (counts.transfers !== BigInt(chain.transferLogs) || counts.steps !== BigInt(chain.transferLogs) || counts.tokens !== BigInt(chain.tokenIds.length)) {
      throw new Error(
        `ponder's rows fail the check: ${counts.transfers} transfer rows (${counts.steps} distinct steps) and ${counts.tokens} tokens ` +
          `when the chain has ${chain.transferLogs} transfers of ${chain.tokenIds.length} tokens; its log (warnings): ${output.slice(-1_500)}`,
      );
    }
    for (let sample = 0; sample < 50; sample++) {
      const tokenId = chain.tokenIds[Math.floor((sample * chain.tokenIds.length) / 50)]!;
      const owner = await admin.query<{ owner: string }>(`SELECT owner FROM "${schema}".token WHERE id = $1`, [tokenId.toString()]);
      const expected = (await chain.expectedOwner(tokenId)).toLowerCase();
      if (owner.rows[0]?.owner.toLowerCase() !== expected) throw new Error(`ponder: token ${tokenId} owned by ${owner.rows[0]?.owner}, chain ${expected}`);
    }
    return seconds;
  } finally {
    await stopChild(child);
    await admin.close();
    if (!process.env.BENCH_KEEP_PONDER_DATABASE) await server.exec(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => {});
    await server.close();
  }
}

const chain = await buildTransferChain({ tokens: TOKENS, log });
try {
  let ponderProblem: string | null = process.env.BENCH_SKIP_PONDER ? "left out of this run (BENCH_SKIP_PONDER)" : null;
  if (!ponderProblem) {
    try {
      await ensurePonderInstalled();
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
