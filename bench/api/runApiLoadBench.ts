/**
 * API load benchmark: autocannon on loopback against `GET /api/tokens/:address/:tokenId` and
 * `GET /api/tokens/:address/:tokenId/provenance`, random tokens of an index built by the platform's
 * indexer from a real Anvil chain (bench/chain/buildTransferChain.ts), at 16 and 64 connections; requests
 * per second, p99 latency, zero errors and zero non-2xx required; the server's RSS before and after.
 * Bounded: every run stops after BENCH_REQUESTS requests (and at most 120 s).
 *
 * Run: npm run bench:api  (smaller: BENCH_TOKENS=5000 BENCH_REQUESTS=5000 BENCH_ROUNDS=1 npm run bench:api)
 */
import type { ApiLoadResults, ApiLoadRun } from "./apiLoadResults.js";

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

import autocannon from "autocannon";

import { migrate } from "../../server/db/migrate.js";
import { createEmbeddedStore } from "../../server/storage/embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../../server/storage/metadata/buildEditionMetadata.js";
import { openPglite } from "../../server/db/openPglite.js";
import { buildTransferChain } from "../chain/buildTransferChain.js";
import { checkTransferIndex, indexTransferChain } from "../indexer/indexTransferChain.js";
import { spreadOf } from "../support/stats.js";
import { benchVersions } from "../support/versions.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const TOKENS = Number(process.env.BENCH_TOKENS ?? 20_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = [16, 64] as const;
const log = (message: string) => console.log(`[api] ${message}`);

async function rssMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round((kilobytes / 1024) * 10) / 10;
}

// The edition's metadata goes into the server's own embedded IPFS store first, so the token route reads
// real documents as it would in production.
const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-bench-api-"));
const store = await createEmbeddedStore({ dataDir: path.join(dataDir, "ipfs") });
const { metadataCid } = await buildEditionMetadata(
  { store },
  {
    edition: {
      collection: "Bench",
      editionId: 1,
      title: "Bench Edition",
      description: "Benchmark edition.",
      maxSupply: TOKENS,
      issuer: "0x00000000000000000000000000000000000000aa",
      license: "CC-BY-4.0",
      created: "2026-01-01T00:00:00Z",
      media: { cid: "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", sha256: "0".repeat(64), kind: "image" },
      externalUrlTemplate: "https://vermilion.example/editions/{editionId}/{serial}",
    },
    pin: { label: "bench" },
  },
);
await store.close();
const chain = await buildTransferChain({ tokens: TOKENS, metadataCid: metadataCid.toString(), log });
try {
  const db = await openPglite({ dataDir: path.join(dataDir, "db") });
  await migrate(db);
  await indexTransferChain(db, chain);
  await checkTransferIndex(db, chain, 50);
  await db.close();
  log(`index of ${chain.transferLogs} transfers built and checked`);

  const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
  const child = spawn(process.execPath, [tsxCli, path.join(root, "bench", "api", "serveForLoad.ts")], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", RPC_URL: chain.anvil.rpcUrl, FACTORY_ADDRESS: chain.chain.factoryAddress },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  const { url, pid } = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      const match = /LISTENING (\S+) (\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, pid: Number(match[2]) });
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  try {
    const randomPath = (suffix: string) => {
      const tokenId = chain.tokenIds[Math.floor(Math.random() * chain.tokenIds.length)]!;
      return `/api/tokens/${chain.collection}/${tokenId}${suffix}`;
    };
    // Correctness before load: both routes answer a sampled token with the chain's owner.
    for (let sample = 0; sample < 20; sample++) {
      const tokenId = chain.tokenIds[Math.floor((sample * chain.tokenIds.length) / 20)]!;
      const expected = (await chain.expectedOwner(tokenId)).toLowerCase();
      const token = (await (await fetch(`${url}/api/tokens/${chain.collection}/${tokenId}`)).json()) as { token: { owner: string | null; metadata: unknown } };
      if (token.token.metadata === null) throw new Error(`token ${tokenId}: no metadata document`);
      const provenance = (await (await fetch(`${url}/api/tokens/${chain.collection}/${tokenId}/provenance`)).json()) as { history: Array<{ to: string }> };
      if (token.token.owner?.toLowerCase() !== expected || provenance.history.at(-1)?.to.toLowerCase() !== expected || provenance.history.length !== chain.hops + 1) {
        throw new Error(`token ${tokenId}: the API disagrees with the chain`);
      }
    }
    const rssBeforeMb = await rssMegabytes(pid);
    const runs: ApiLoadRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const route of ["token", "provenance"] as const) {
        for (const connections of CONNECTIONS) {
          const suffix = route === "token" ? "" : "/provenance";
          // autocannon's own duration ends at its next one-second sampling tick, which made every run of 5,000
          // fast requests read as 6 s (833 req/s); the rate is taken from the first request to the last response.
          const startedAt = performance.now();
          let lastResponseAt = startedAt;
          const result = await new Promise<autocannon.Result>((resolve, reject) => {
            const instance = autocannon(
              {
                url,
                connections,
                amount: REQUESTS,
                duration: 120,
                timeout: 10,
                requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: randomPath(suffix) }) }],
              },
              (error, finished) => (error ? reject(error as Error) : resolve(finished)),
            );
            instance.on("response", () => {
              lastResponseAt = performance.now();
            });
          });
          const run: ApiLoadRun = {
            round,
            route,
            connections,
            requests: result.requests.total,
            requestsPerSecond: result.requests.total / ((lastResponseAt - startedAt) / 1000),
            p50Ms: result.latency.p50,
            p99Ms: result.latency.p99,
            errors: result.errors + result.timeouts,
            non2xx: result.non2xx,
          };
          if (run.errors !== 0 || run.non2xx !== 0 || run.requests < REQUESTS) {
            throw new Error(`${route} at ${connections} connections: ${run.errors} errors, ${run.non2xx} non-2xx, ${run.requests} of ${REQUESTS} requests`);
          }
          runs.push(run);
          log(`round ${round + 1} ${route} c=${connections}: ${run.requestsPerSecond.toFixed(0)} req/s, p99 ${run.p99Ms} ms`);
        }
      }
    }
    const rssAfterMb = await rssMegabytes(pid);
    const figures = (["token", "provenance"] as const).flatMap((route) =>
      CONNECTIONS.map((connections) => {
        const matching = runs.filter((run) => run.route === route && run.connections === connections);
        return {
          route,
          connections,
          requestsPerSecond: spreadOf(matching.map((run) => run.requestsPerSecond), 0),
          p99Ms: spreadOf(matching.map((run) => run.p99Ms), 1),
        };
      }),
    );
    const results: ApiLoadResults = {
      generatedAt: new Date().toISOString(),
      command: TOKENS === 20_000 && REQUESTS === 5_000 && ROUNDS === 3 ? "npm run bench:api" : `BENCH_TOKENS=${TOKENS} BENCH_REQUESTS=${REQUESTS} BENCH_ROUNDS=${ROUNDS} npm run bench:api`,
      versions: await benchVersions(),
      tokens: chain.tokenIds.length,
      transfers: chain.transferLogs,
      requestsPerRun: REQUESTS,
      rounds: ROUNDS,
      runs,
      figures,
      rssBeforeMb,
      rssAfterMb,
    };
    await writeFile(path.join(root, "bench", "results", "api.json"), `${JSON.stringify(results, null, 2)}\n`);
    await writeBenchmarksReport(root);
    log(JSON.stringify({ figures, rssBeforeMb, rssAfterMb }));
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
} finally {
  await chain.anvil.stop();
  await rm(dataDir, { recursive: true, force: true });
}
