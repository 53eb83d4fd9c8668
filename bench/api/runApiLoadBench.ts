/**
 * API load benchmark: autocannon on loopback, random tokens of an index built by the platform's indexer
 * from a real Anvil chain (bench/chain/buildTransferChain.ts), against four targets in the same run:
 * - `GET /api/health/live` of the same server: the floor of this stack on this machine;
 * - `GET /api/tokens/:address/:tokenId` (owner, edition, the serial's metadata document);
 * - `GET /api/tokens/:address/:tokenId/provenance` (the token's whole history);
 * - Ponder's own GraphQL API (bench/peers/ponder) on the same chain, asked for the owner and history of the
 *   token in one query.
 * At 16 and 64 connections, rounds alternating the targets; zero errors, zero non-2xx and no short answer
 * required; the server's RSS (and its heap's parts) before and after. Bounded: every run stops after
 * BENCH_REQUESTS requests (and at most 120 s).
 *
 * Run: npm run bench:api  (smaller: BENCH_TOKENS=5000 BENCH_REQUESTS=5000 BENCH_ROUNDS=1 npm run bench:api;
 * BENCH_SKIP_PONDER=1 leaves Ponder out; BENCH_NO_TEMPLATE=1 leaves the metadata template unrecorded, so the
 * token route reads every document from the IPFS store as it does for a directory the platform did not write;
 * BENCH_SERVER_NODE_OPTIONS passes Node options to the server, e.g. --cpu-prof)
 */
import type { ApiLoadMemory, ApiLoadResults, ApiLoadRun, ApiLoadTarget } from "./apiLoadResults.js";
import type { PonderPeer } from "../support/ponderPeer.js";

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

import autocannon from "autocannon";
import { CID } from "multiformats/cid";

import { migrate } from "../../server/db/migrate.js";
import { openPglite } from "../../server/db/openPglite.js";
import { recordMetadataTemplate } from "../../server/editions/recordMetadataTemplate.js";
import { createEmbeddedStore } from "../../server/storage/embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../../server/storage/metadata/buildEditionMetadata.js";
import { canonicalJson } from "vermilion-verify/shared/canonicalJson.js";
import { buildTransferChain } from "../chain/buildTransferChain.js";
import { BENCH_MAX_BLOCK_RANGE, checkTransferIndex, indexTransferChain } from "../indexer/indexTransferChain.js";
import { ensurePonderInstalled, startPonder } from "../support/ponderPeer.js";
import { spreadOf } from "../support/stats.js";
import { benchVersions } from "../support/versions.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PONDER_TIMEOUT_MS = Number(process.env.BENCH_PONDER_TIMEOUT_MS ?? 3_600_000);
const CONNECTIONS = [16, 64] as const;
const SAMPLES = 20;
const log = (message: string) => console.log(`[api] ${message}`);

/** Ponder's answer to "owner and history of token X", as its GraphQL schema spells it (ordered by event id, which orders by chain position). */
const PONDER_QUERY = `query ($id: BigInt!) {
  token(id: $id) { owner }
  transfers(where: { tokenId: $id }, orderBy: "id", orderDirection: "asc", limit: 100) { items { from to blockNumber timestamp } }
}`;

async function rssMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round((kilobytes / 1024) * 10) / 10;
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Resident memory of the WebAssembly memories in `pid` (PGlite's): V8 reserves 8 GiB for each, the memory's
 * current size readable and writable and the rest an inaccessible guard region right after it, so the memory
 * is the rw mapping that, with the guard mapping following it, makes exactly 8 GiB; only the pages PostgreSQL
 * has touched are resident.
 */
async function wasmResidentMegabytes(pid: number): Promise<number> {
  const smaps = await readFile(`/proc/${pid}/smaps`, "utf8");
  const mappings = smaps.split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/).map((text) => {
    const [range = "", permissions = ""] = text.split(" ");
    const [start = "0", end = "0"] = range.split("-");
    return {
      start: BigInt(`0x${start}`),
      end: BigInt(`0x${end}`),
      permissions,
      sizeKb: Number(/^Size:\s+(\d+) kB/m.exec(text)?.[1] ?? 0),
      rssKb: Number(/^Rss:\s+(\d+) kB/m.exec(text)?.[1] ?? 0),
    };
  });
  let kilobytes = 0;
  for (const [index, mapping] of mappings.entries()) {
    const guard = mappings[index + 1];
    if (mapping.permissions.startsWith("rw") && guard?.start === mapping.end && guard.permissions.startsWith("---") && mapping.sizeKb + guard.sizeKb === 8 * 1024 * 1024) {
      kilobytes += mapping.rssKb;
    }
  }
  return Math.round((kilobytes / 1024) * 10) / 10;
}

const started = performance.now();
// The edition's metadata goes into the server's own embedded IPFS store first, so the token route reads
// real documents as it would in production; the sampled serials' stored bytes are kept to check the API.
const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-bench-api-"));
const store = await createEmbeddedStore({ dataDir: path.join(dataDir, "ipfs") });
const metadata = await buildEditionMetadata(
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
      attributes: [{ trait_type: "Palette", value: "Crimson" }],
    },
    pin: { label: "bench" },
  },
);
const sampleSerials = Array.from({ length: SAMPLES }, (_, sample) => 1 + Math.floor((sample * TOKENS) / SAMPLES));
const storedDocuments = new Map<number, string>();
for (const serial of sampleSerials) {
  const chunks: Uint8Array[] = [];
  for await (const chunk of store.cat({ cid: CID.parse(metadata.metadataCid.toString()), path: `${serial}.json` })) chunks.push(chunk);
  storedDocuments.set(serial, Buffer.concat(chunks).toString("utf8"));
}
await store.close();
log(`metadata of ${TOKENS} serials built (${((performance.now() - started) / 1000).toFixed(1)} s)`);
const chain = await buildTransferChain({ tokens: TOKENS, metadataCid: metadata.metadataCid.toString(), log });
let ponder: PonderPeer | null = null;
let ponderProblem: string | null = process.env.BENCH_SKIP_PONDER ? "left out of this run (BENCH_SKIP_PONDER)" : null;
try {
  // Ponder indexes the same chain meanwhile (nothing of that is timed here; bench:ingest times it).
  const ponderReady = (async () => {
    if (ponderProblem) return;
    try {
      await ensurePonderInstalled(log);
      ponder = await startPonder(chain, { maxBlockRange: BENCH_MAX_BLOCK_RANGE });
      await ponder.waitForTransfers(PONDER_TIMEOUT_MS);
      await ponder.check();
      log("ponder has indexed the chain");
    } catch (error) {
      ponderProblem = `failed: ${(error as Error).message.slice(0, 2_500)}`;
      log(`ponder ${ponderProblem}`);
    }
  })();
  const db = await openPglite({ dataDir: path.join(dataDir, "db") });
  await migrate(db);
  await indexTransferChain(db, chain);
  await checkTransferIndex(db, chain, 50);
  // The index as a server finds it after its maintenance has caught up (server/db/maintainPglite.ts): a backfill
  // leaves ~900,000 dead token rows, and the server's first VACUUM of them would otherwise stall its one PGlite
  // connection for seconds in the middle of a measured run.
  await db.exec("VACUUM (ANALYZE)");
  // What edition creation does once it has built the metadata (server/editions/createEdition.ts).
  if (!process.env.BENCH_NO_TEMPLATE) await recordMetadataTemplate({ db }, metadata);
  await db.close();
  log(`index of ${chain.transferLogs} transfers built and checked`);
  await ponderReady;

  const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
  const child = spawn(process.execPath, [tsxCli, path.join(root, "bench", "api", "serveForLoad.ts")], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: "0",
      LOG_LEVEL: "silent",
      RPC_URL: chain.anvil.rpcUrl,
      FACTORY_ADDRESS: chain.chain.factoryAddress,
      // BENCH_SERVER_NODE_OPTIONS e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles" or "--heapsnapshot-signal=SIGUSR1".
      // --expose-gc lets each memory sample follow a full collection (serveForLoad.ts), so it counts what is kept.
      NODE_OPTIONS: ["--expose-gc", process.env.BENCH_SERVER_NODE_OPTIONS ?? ""].join(" ").trim(),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  let onMemory: ((line: string) => void) | null = null;
  const { url, pid } = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      const listening = /LISTENING (\S+) (\d+)/.exec(text);
      if (listening) {
        clearTimeout(timer);
        resolve({ url: listening[1]!, pid: Number(listening[2]) });
      }
      const memory = /MEMORY (\{.*\})/.exec(text);
      if (memory && onMemory) onMemory(memory[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const memoryOfServer = async (): Promise<ApiLoadMemory> => {
    const line = await new Promise<string>((resolve) => {
      onMemory = resolve;
      process.kill(pid, "SIGUSR2");
    });
    onMemory = null;
    const usage = JSON.parse(line) as NodeJS.MemoryUsage & { spaces: Record<string, number> };
    return {
      rssMb: await rssMegabytes(pid),
      heapTotalMb: megabytes(usage.heapTotal),
      heapUsedMb: megabytes(usage.heapUsed),
      externalMb: megabytes(usage.external),
      arrayBuffersMb: megabytes(usage.arrayBuffers),
      // What is neither V8's heap nor buffers V8 knows of: code, PGlite's WebAssembly memory, native allocations.
      otherMb: megabytes(usage.rss - usage.heapTotal - usage.external),
      wasmResidentMb: await wasmResidentMegabytes(pid),
    };
  };
  try {
    const randomTokenId = () => chain.tokenIds[Math.floor(Math.random() * chain.tokenIds.length)]!;
    // Correctness before load: both routes, and Ponder, answer sampled tokens with the chain's owner and full
    // history; the token route's metadata is, byte for byte, the document stored in IPFS.
    const smallestAnswer: Record<ApiLoadTarget, number> = { health: Number.POSITIVE_INFINITY, token: Number.POSITIVE_INFINITY, provenance: Number.POSITIVE_INFINITY, ponder: Number.POSITIVE_INFINITY };
    const sized = async (target: ApiLoadTarget, response: Response): Promise<string> => {
      if (!response.ok) throw new Error(`${target}: HTTP ${response.status}`);
      const text = await response.text();
      smallestAnswer[target] = Math.min(smallestAnswer[target], Buffer.byteLength(text));
      return text;
    };
    await sized("health", await fetch(`${url}/api/health/live`));
    for (const serial of sampleSerials) {
      const tokenId = chain.tokenIds[serial - 1]!;
      const expected = (await chain.expectedOwner(tokenId)).toLowerCase();
      const token = JSON.parse(await sized("token", await fetch(`${url}/api/tokens/${chain.collection}/${tokenId}`))) as { token: { owner: string | null; metadata: unknown } };
      if (token.token.metadata === null || canonicalJson(token.token.metadata) !== storedDocuments.get(serial)) {
        throw new Error(`token ${tokenId}: its metadata is not the document stored in IPFS`);
      }
      const provenance = JSON.parse(await sized("provenance", await fetch(`${url}/api/tokens/${chain.collection}/${tokenId}/provenance`))) as { history: Array<{ to: string }> };
      if (token.token.owner?.toLowerCase() !== expected || provenance.history.at(-1)?.to.toLowerCase() !== expected || provenance.history.length !== chain.hops + 1) {
        throw new Error(`token ${tokenId}: the API disagrees with the chain`);
      }
      if (ponder) {
        const response = await fetch(`${(ponder as PonderPeer).url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: PONDER_QUERY, variables: { id: tokenId.toString() } }),
        });
        const answer = JSON.parse(await sized("ponder", response)) as { data?: { token: { owner: string }; transfers: { items: Array<{ to: string }> } }; errors?: unknown };
        if (!answer.data || answer.errors || answer.data.token.owner.toLowerCase() !== expected || answer.data.transfers.items.length !== chain.hops + 1 ||
          answer.data.transfers.items.at(-1)?.to.toLowerCase() !== expected) {
          throw new Error(`ponder, token ${tokenId}: ${JSON.stringify(answer).slice(0, 500)}`);
        }
      }
    }
    const memoryBefore = await memoryOfServer();
    const targets: ApiLoadTarget[] = ponder ? ["health", "token", "provenance", "ponder"] : ["health", "token", "provenance"];
    const runs: ApiLoadRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        for (const connections of CONNECTIONS) {
          const request: autocannon.Request =
            target === "health"
              ? { method: "GET", path: "/api/health/live" }
              : target === "ponder"
                ? {
                    method: "POST",
                    setupRequest: (request) => ({
                      ...request,
                      path: "/graphql",
                      headers: { "content-type": "application/json" },
                      body: JSON.stringify({ query: PONDER_QUERY, variables: { id: randomTokenId().toString() } }),
                    }),
                  }
                : { method: "GET", setupRequest: (request) => ({ ...request, path: `/api/tokens/${chain.collection}/${randomTokenId()}${target === "token" ? "" : "/provenance"}` }) };
          // autocannon's own duration ends at its next one-second sampling tick, which made every run of 5,000
          // fast requests read as 6 s (833 req/s); the rate is taken from the first request to the last response.
          const startedAt = performance.now();
          let lastResponseAt = startedAt;
          // An answer shorter than the smallest correct sample is an error in a 200 (GraphQL answers errors so).
          let shortAnswers = 0;
          const result = await new Promise<autocannon.Result>((resolve, reject) => {
            const instance = autocannon(
              { url: target === "ponder" ? (ponder as PonderPeer).url : url, connections, amount: REQUESTS, duration: 120, timeout: 10, requests: [request] },
              (error, finished) => (error ? reject(error as Error) : resolve(finished)),
            );
            instance.on("response", (_client, _status, resBytes: number) => {
              lastResponseAt = performance.now();
              // resBytes counts the status line and headers too: compare it with the body's size, a lower bound.
              if (resBytes < smallestAnswer[target]) shortAnswers++;
            });
          });
          const run: ApiLoadRun = {
            round,
            target,
            connections,
            requests: result.requests.total,
            requestsPerSecond: result.requests.total / ((lastResponseAt - startedAt) / 1000),
            p50Ms: result.latency.p50,
            p99Ms: result.latency.p99,
            errors: result.errors + result.timeouts + shortAnswers,
            non2xx: result.non2xx,
          };
          if (run.errors !== 0 || run.non2xx !== 0 || run.requests < REQUESTS) {
            throw new Error(`${target} at ${connections} connections: ${run.errors} errors (${shortAnswers} short answers), ${run.non2xx} non-2xx, ${run.requests} of ${REQUESTS} requests`);
          }
          runs.push(run);
          log(`round ${round + 1} ${target} c=${connections}: ${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms`);
        }
      }
    }
    const memoryAfter = await memoryOfServer();
    const of = (target: ApiLoadTarget, connections: number) => runs.filter((run) => run.target === target && run.connections === connections);
    const figures = targets.flatMap((target) =>
      CONNECTIONS.map((connections) => ({
        target,
        connections,
        requestsPerSecond: spreadOf(of(target, connections).map((run) => run.requestsPerSecond), 0),
        p99Ms: spreadOf(of(target, connections).map((run) => run.p99Ms), 1),
      })),
    );
    // Ratios within a round: each pair of figures was taken minutes apart at most, under the same machine load.
    const ratioSpread = (target: ApiLoadTarget, base: ApiLoadTarget, connections: number) => {
      const ratios = of(target, connections).flatMap((run) => {
        const peer = of(base, connections).find((candidate) => candidate.round === run.round);
        return peer ? [run.requestsPerSecond / peer.requestsPerSecond] : [];
      });
      return ratios.length ? spreadOf(ratios, 2) : null;
    };
    const ratios = CONNECTIONS.map((connections) => ({
      connections,
      tokenVsHealth: ratioSpread("token", "health", connections)!,
      provenanceVsHealth: ratioSpread("provenance", "health", connections)!,
      tokenVsPonder: ratioSpread("token", "ponder", connections),
      provenanceVsPonder: ratioSpread("provenance", "ponder", connections),
    }));
    const results: ApiLoadResults = {
      generatedAt: new Date().toISOString(),
      command:
        TOKENS === 100_000 && REQUESTS === 5_000 && ROUNDS === 3 && !process.env.BENCH_NO_TEMPLATE
          ? "npm run bench:api"
          : `BENCH_TOKENS=${TOKENS} BENCH_REQUESTS=${REQUESTS} BENCH_ROUNDS=${ROUNDS}${process.env.BENCH_NO_TEMPLATE ? " BENCH_NO_TEMPLATE=1" : ""} npm run bench:api`,
      versions: await benchVersions(),
      tokens: chain.tokenIds.length,
      transfers: chain.transferLogs,
      chainBuildSeconds: chain.buildSeconds,
      benchSeconds: (performance.now() - started) / 1000,
      metadataTemplate: !process.env.BENCH_NO_TEMPLATE,
      requestsPerRun: REQUESTS,
      rounds: ROUNDS,
      runs,
      figures,
      ratios,
      memoryBefore,
      memoryAfter,
      ponderProblem,
      note: process.env.BENCH_NOTE ?? null,
    };
    const resultsName = process.env.BENCH_RESULTS_NAME ?? "api";
    await writeFile(path.join(root, "bench", "results", `${resultsName}.json`), `${JSON.stringify(results, null, 2)}\n`);
    await writeBenchmarksReport(root);
    log(JSON.stringify({ figures, ratios, memoryBefore, memoryAfter, ponderProblem }));
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
} finally {
  await (ponder as PonderPeer | null)?.stop();
  await chain.anvil.stop();
  await rm(dataDir, { recursive: true, force: true });
}
