/**
 * Provenance lookup benchmark: "whose hands has this token passed through?" answered by
 * `GET /api/tokens/:address/:tokenId/provenance` on an index of 100,000 tokens and 1,000,000 transfers,
 * beside the same question answered from the node with `eth_getLogs` (by token id, over every block)
 * plus the blocks' timestamps, in the same run against the same Anvil.
 *
 * The chain is built for real on Anvil (bench/chain/buildTransferChain.ts) and indexed by the platform's
 * own indexer into the PGlite database the server then opens; the index is checked against the chain
 * (counts, owners) and every answer is checked (length, last owner, same steps both ways) before any
 * figure is kept.
 *
 * Then the proof-carrying bundle of a 10,000-serial edition (measureProofBundle.ts): its size and its
 * offline verification time against the pinned block's true hash.
 *
 * Run: npm run bench:provenance  (smaller: BENCH_TOKENS=5000 npm run bench:provenance; the bundle part
 * alone, keeping the lookup figures: BENCH_PROVENANCE_PART=bundle npm run bench:provenance; another
 * edition size: BENCH_BUNDLE_SERIALS=1000)
 */
import type { LatencySpread, ProvenanceResults } from "./provenanceResults.js";

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, getAbiItem, http } from "viem";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { migrate } from "../../server/db/migrate.js";
import { openPglite } from "../../server/db/openPglite.js";
import { startServer } from "../../server/startup/startServer.js";
import { buildTransferChain } from "../chain/buildTransferChain.js";
import { BENCH_MAX_BLOCK_RANGE, checkTransferIndex, indexTransferChain } from "../indexer/indexTransferChain.js";
import { quantile, spreadOf } from "../support/stats.js";
import { RAISED_RATE_LIMITS } from "../support/raisedRateLimits.js";
import { benchVersions } from "../support/versions.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";
import { measureProofBundle } from "./measureProofBundle.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
const HOPS = 9;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const API_SAMPLES = Number(process.env.BENCH_API_SAMPLES ?? 1_000);
const NODE_SAMPLES = Number(process.env.BENCH_NODE_SAMPLES ?? 200);

type Step = { from: string; to: string };

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const log = (message: string) => console.log(`[provenance] ${message}`);
const BUNDLE_SERIALS = Number(process.env.BENCH_BUNDLE_SERIALS ?? 10_000);
const resultsFile = path.join(root, "bench", "results", "provenance.json");

/** The bundle figures, added to provenance.json (whose lookup figures are this run's or, for the bundle part alone, the last run's). */
async function measureBundle(): Promise<void> {
  const bundle = await measureProofBundle({ serials: BUNDLE_SERIALS, log });
  const results = JSON.parse(await readFile(resultsFile, "utf8")) as ProvenanceResults;
  results.bundle = { ...bundle, generatedAt: new Date().toISOString(), command: BUNDLE_SERIALS === 10_000 ? "npm run bench:provenance" : `BENCH_BUNDLE_SERIALS=${BUNDLE_SERIALS} npm run bench:provenance` };
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  await writeBenchmarksReport(root);
  log(JSON.stringify(results.bundle));
}

if (process.env.BENCH_PROVENANCE_PART === "bundle") {
  await measureBundle();
  process.exit(0);
}

const chain = await buildTransferChain({ tokens: TOKENS, hops: HOPS, log });
const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-bench-provenance-"));
try {
  // 1. The index, built by the platform's indexer into the database the server will open.
  const db = await openPglite({ dataDir: path.join(dataDir, "db") });
  await migrate(db);
  const indexSeconds = await indexTransferChain(db, chain);
  await checkTransferIndex(db, chain);
  await db.close();
  log(`indexed ${chain.transferLogs} transfers in ${indexSeconds.toFixed(1)} s; index checked against the chain`);

  // 2. The server on that index (rate limiter still in the path, its limit raised for the benchmark).
  const server = await startServer(
    loadConfig({
      ...RAISED_RATE_LIMITS,
      DATA_DIR: dataDir,
      PORT: "0",
      LOG_LEVEL: "silent",
      RPC_URL: chain.anvil.rpcUrl,
      FACTORY_ADDRESS: chain.chain.factoryAddress,
    }),
  );
  try {
    const client = createPublicClient({ transport: http(chain.anvil.rpcUrl) });
    const transferEvent = getAbiItem({ abi: vermilionCollectionAbi, name: "Transfer" });
    const randomToken = () => chain.tokenIds[Math.floor(Math.random() * chain.tokenIds.length)]!;
    const fromApi = async (tokenId: bigint): Promise<Step[]> => {
      const response = await fetch(`${server.url}/api/tokens/${chain.collection}/${tokenId}/provenance`);
      if (response.status !== 200) throw new Error(`provenance of ${tokenId}: HTTP ${response.status}`);
      const body = (await response.json()) as { history: Step[] };
      if (body.history.length !== 1 + HOPS) throw new Error(`provenance of ${tokenId}: ${body.history.length} steps`);
      return body.history.map(({ from, to }) => ({ from: from.toLowerCase(), to: to.toLowerCase() }));
    };
    const fromNode = async (tokenId: bigint): Promise<Step[]> => {
      const logs = await client.getLogs({ address: chain.collection, event: transferEvent, args: { tokenId }, fromBlock: chain.chain.factoryBlock, toBlock: "latest" });
      // The API gives each step's time, so the node's answer needs each block's timestamp too.
      const blockNumbers = [...new Set(logs.map((entry) => entry.blockNumber))];
      await Promise.all(blockNumbers.map((blockNumber) => client.getBlock({ blockNumber })));
      if (logs.length !== 1 + HOPS) throw new Error(`eth_getLogs for ${tokenId}: ${logs.length} logs`);
      return logs.map((entry) => ({ from: entry.args.from!.toLowerCase(), to: entry.args.to!.toLowerCase() }));
    };
    // Both answers must agree step by step, and end with the owner the chain reports.
    for (let check = 0; check < 50; check++) {
      const tokenId = randomToken();
      const [api, node, owner] = await Promise.all([fromApi(tokenId), fromNode(tokenId), chain.expectedOwner(tokenId)]);
      if (JSON.stringify(api) !== JSON.stringify(node) || api.at(-1)?.to !== owner.toLowerCase()) {
        throw new Error(`token ${tokenId}: the API and eth_getLogs disagree`);
      }
    }
    for (let warm = 0; warm < 100; warm++) await fromApi(randomToken());

    const apiP50: number[] = [];
    const apiP99: number[] = [];
    const nodeP50: number[] = [];
    const nodeP99: number[] = [];
    const speedupP50: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const api: number[] = [];
      for (let sample = 0; sample < API_SAMPLES; sample++) {
        const tokenId = randomToken();
        api.push(await time(() => fromApi(tokenId)));
      }
      const node: number[] = [];
      for (let sample = 0; sample < NODE_SAMPLES; sample++) {
        const tokenId = randomToken();
        node.push(await time(() => fromNode(tokenId)));
      }
      apiP50.push(quantile(api, 0.5));
      apiP99.push(quantile(api, 0.99));
      nodeP50.push(quantile(node, 0.5));
      nodeP99.push(quantile(node, 0.99));
      speedupP50.push(quantile(node, 0.5) / quantile(api, 0.5));
      log(`round ${round + 1}: API p50 ${apiP50.at(-1)!.toFixed(2)} ms p99 ${apiP99.at(-1)!.toFixed(2)} ms; eth_getLogs p50 ${nodeP50.at(-1)!.toFixed(2)} ms`);
    }
    const spread = (p50: number[], p99: number[], samples: number): LatencySpread => ({ samplesPerRound: samples, p50Ms: spreadOf(p50), p99Ms: spreadOf(p99) });
    const results: ProvenanceResults = {
      generatedAt: new Date().toISOString(),
      command: TOKENS === 100_000 ? "npm run bench:provenance" : `BENCH_TOKENS=${TOKENS} npm run bench:provenance`,
      versions: await benchVersions(),
      database: "PGlite (embedded, on disk), as the server runs by default",
      index: { tokens: chain.tokenIds.length, transfers: chain.transferLogs, indexSeconds, maxBlockRange: BENCH_MAX_BLOCK_RANGE },
      chain: { blocks: Number(chain.headBlock), transferLogs: chain.transferLogs, buildSeconds: chain.buildSeconds, hops: HOPS },
      rounds: ROUNDS,
      api: spread(apiP50, apiP99, API_SAMPLES),
      getLogs: spread(nodeP50, nodeP99, NODE_SAMPLES),
      speedupP50: spreadOf(speedupP50, 1),
    };
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    await writeBenchmarksReport(root);
    log(JSON.stringify({ api: results.api, getLogs: results.getLogs, speedupP50: results.speedupP50 }));
  } finally {
    await server.stop();
  }
} finally {
  await chain.anvil.stop();
  await rm(dataDir, { recursive: true, force: true });
}

await measureBundle();
