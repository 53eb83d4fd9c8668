/**
 * The Ponder peer (bench/peers/ponder) as the benchmarks run it: installed on demand, started cold in a
 * PostgreSQL database of its own against a transfer chain's Anvil, waited for until every transfer is in
 * its table, checked like our index, and stopped. Used by the ingest benchmark (how fast it indexes) and
 * the API benchmark (how fast its own HTTP API answers once it has).
 */
import type { ChildProcess } from "node:child_process";
import type { Database } from "../../server/db/Database.js";
import type { TransferChain } from "../chain/buildTransferChain.js";

import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { access } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { findFreePort } from "../../server/chain/startAnvil.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { BENCH_POSTGRES_URL } from "./versions.js";

const root = path.resolve(import.meta.dirname, "..", "..");
export const ponderDir = path.join(root, "bench", "peers", "ponder");
/** The schema Ponder writes its tables into. */
export const PONDER_SCHEMA = "bench";

export async function ensurePonderInstalled(log: (message: string) => void): Promise<void> {
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

export interface PonderPeer {
  /** Its HTTP API (GraphQL at `/graphql`, SQL over HTTP at `/sql`), on loopback. */
  url: string;
  pid: number;
  /** A connection to its database, to read its tables. */
  admin: Database;
  /** Resolves once every transfer of the chain is in its table; rejects when it exits or times out. */
  waitForTransfers(timeoutMs: number): Promise<void>;
  /** Its rows against the chain: every transfer, each token, and sampled owners. */
  check(samples?: number): Promise<void>;
  /** Stops it and drops its database (unless BENCH_KEEP_PONDER_DATABASE). */
  stop(): Promise<void>;
}

/**
 * Starts `ponder start` cold, in a fresh database, not only a fresh schema, because Ponder keeps an RPC
 * cache (`ponder_sync`) per database keyed by chain id and address, and every benchmark chain reuses chain id
 * 31337 and the same deterministic addresses: a shared cache would feed it logs of earlier chains.
 */
export async function startPonder(chain: TransferChain, parameters: { maxBlockRange: number }): Promise<PonderPeer> {
  const database = `bench_ponder_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const server = await openPostgres({ connectionString: BENCH_POSTGRES_URL });
  await server.exec(`CREATE DATABASE "${database}"`);
  const databaseUrl = new URL(BENCH_POSTGRES_URL);
  databaseUrl.pathname = `/${database}`;
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    [path.join(ponderDir, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js"), "start", "--schema", PONDER_SCHEMA, "--port", String(port), "--log-level", "warn"],
    {
      cwd: ponderDir,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl.toString(),
        PONDER_RPC_URL: chain.anvil.rpcUrl,
        PONDER_COLLECTION: chain.collection,
        PONDER_START_BLOCK: chain.chain.factoryBlock.toString(),
        PONDER_GET_LOGS_BLOCK_RANGE: String(parameters.maxBlockRange),
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
  const countRows = async () => {
    try {
      // Distinct steps as well as rows: on this chain a step (token, block, from, to) happens once.
      const { rows } = await admin.query<{ transfers: bigint; steps: bigint; tokens: bigint }>(
        `SELECT (SELECT count(*) FROM "${PONDER_SCHEMA}".transfer)::int8 AS transfers,
           (SELECT count(DISTINCT (token_id, block_number, "from", "to")) FROM "${PONDER_SCHEMA}".transfer)::int8 AS steps,
           (SELECT count(*) FROM "${PONDER_SCHEMA}".token)::int8 AS tokens`,
      );
      return rows[0] ?? { transfers: 0n, steps: 0n, tokens: 0n };
    } catch {
      return { transfers: 0n, steps: 0n, tokens: 0n }; // its tables do not exist yet
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    admin,
    async waitForTransfers(timeoutMs) {
      // Ponder's /ready turns 200 once its historical sync is done, before the newest blocks (its realtime
      // range) are indexed, so the head counts as reached when every transfer of the chain is in its table.
      const deadline = Date.now() + timeoutMs;
      let counts = await countRows();
      while (counts.steps < BigInt(chain.transferLogs)) {
        if (child.exitCode !== null) throw new Error(`ponder exited with code ${child.exitCode}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`ponder did not reach the head within ${timeoutMs} ms (${counts.transfers} transfers):\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        counts = await countRows();
      }
    },
    async check(samples = 50) {
      const counts = await countRows();
      if (counts.transfers !== BigInt(chain.transferLogs) || counts.steps !== BigInt(chain.transferLogs) || counts.tokens !== BigInt(chain.tokenIds.length)) {
        throw new Error(
          `ponder's rows fail the check: ${counts.transfers} transfer rows (${counts.steps} distinct steps) and ${counts.tokens} tokens ` +
            `when the chain has ${chain.transferLogs} transfers of ${chain.tokenIds.length} tokens; its log (warnings): ${output.slice(-1_500)}`,
        );
      }
      for (let sample = 0; sample < samples; sample++) {
        const tokenId = chain.tokenIds[Math.floor((sample * chain.tokenIds.length) / samples)]!;
        const owner = await admin.query<{ owner: string }>(`SELECT owner FROM "${PONDER_SCHEMA}".token WHERE id = $1`, [tokenId.toString()]);
        const expected = (await chain.expectedOwner(tokenId)).toLowerCase();
        if (owner.rows[0]?.owner.toLowerCase() !== expected) throw new Error(`ponder: token ${tokenId} owned by ${owner.rows[0]?.owner}, chain ${expected}`);
      }
    },
    async stop() {
      await stopChild(child);
      await admin.close();
      if (!process.env.BENCH_KEEP_PONDER_DATABASE) await server.exec(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => {});
      await server.close();
    },
  };
}
