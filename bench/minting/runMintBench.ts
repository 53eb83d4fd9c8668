/**
 * Mint pipeline benchmark, through the API of a running platform (embedded Anvil, PGlite, embedded IPFS):
 * 1. a 10,000-serial edition created by upload (media and 10,000 metadata documents to IPFS, then the
 *    on-chain edition), and a 10,000-recipient airdrop job run to completion (receipts included), its
 *    progress polled; tokens per second end to end;
 * 2. 200 single mints, 8 in flight: latency from the POST to the job's completion, p50 / p95;
 * 3. the claim path: a batch of 1,000 claim codes, each "scanned" by a visitor (100 at a time) who
 *    does what the claim page does (hold, claim, follow the claim, then the token's indexed owner);
 *    claims per second end to end, and p50 / p95 from the scan (the page's first API call) to the
 *    token owned in the index.
 * Correctness before figures: jobs completed with every token id, minted counts and sampled owners on
 * the chain, sampled metadata documents served by the gateway under the edition's metadata CID.
 *
 * 4. single-mint latency against the chain's own inclusion time (the floor), on a fresh platform on the
 *    embedded (instant) chain and on an Anvil with `--block-time 2` (`runMintLatency.ts`).
 *
 * Run: npm run bench:mint  (smaller: BENCH_AIRDROP=1000 BENCH_SINGLE_MINTS=40 BENCH_CLAIMS=100 BENCH_ROUNDS=1 npm run bench:mint;
 * one part only: BENCH_MINT_PART=latency or BENCH_MINT_PART=pipeline)
 */
import type { Address } from "viem";
import type { ChainLatency } from "./measureMintLatency.js";
import type { MintLatencyResults } from "./mintLatencyResults.js";
import type { MintResults } from "./mintResults.js";

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, getAddress, http, keccak256, toHex } from "viem";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../../test/support/httpClient.js";
import { createIssuerWithCollection } from "../../test/support/platformFixture.js";
import { quantile, spreadOf } from "../support/stats.js";
import { RAISED_RATE_LIMITS } from "../support/raisedRateLimits.js";
import { benchVersions } from "../support/versions.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";
import { createBenchEdition } from "./createBenchEdition.js";
import { runMintLatency } from "./runMintLatency.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const AIRDROP = Number(process.env.BENCH_AIRDROP ?? 10_000);
const SINGLE_MINTS = Number(process.env.BENCH_SINGLE_MINTS ?? 200);
const CONCURRENCY = 8;
// Serials beyond the airdrop in its edition. 0 is the natural case (the airdrop mints the edition out);
// see the report for why a run may use spare serials.
const SPARE_SERIALS = Number(process.env.BENCH_SPARE_SERIALS ?? 0);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 1_000);
const CLAIM_CONCURRENCY = Number(process.env.BENCH_CLAIM_CONCURRENCY ?? 100);
const POLL_MS = 20;
/** Which part runs: "pipeline", "latency", or both (the default). */
const PART = process.env.BENCH_MINT_PART ?? "all";
if (!["all", "pipeline", "latency"].includes(PART)) throw new Error(`BENCH_MINT_PART must be all, pipeline or latency, not ${PART}`);
// Latency: single mints one at a time on the instant chain (a third of them on 2-second blocks), then
// LATENCY_IN_FLIGHT at once.
const LATENCY_SEQUENTIAL = Number(process.env.BENCH_LATENCY_SEQUENTIAL ?? 45);
const LATENCY_IN_FLIGHT = 4;
const LATENCY_IN_FLIGHT_TOTAL = Number(process.env.BENCH_LATENCY_IN_FLIGHT_TOTAL ?? 48);
const log = (message: string) => console.log(`[mint] ${message}`);

interface JobView {
  jobId: string;
  state: string;
  progress: { done: number; total: number };
  tokenIds: string[];
  error: { code: string } | null;
}

function recipient(round: number, index: number): Address {
  return getAddress(`0x${keccak256(toHex(`bench-recipient-${round}-${index}`)).slice(-40)}`);
}

/** Part 1: the airdrop, single mints and claims over ROUNDS rounds on one platform. */
async function runPipeline(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-bench-mint-"));
  const server = await startServer(loadConfig({ ...RAISED_RATE_LIMITS, DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "silent" }));
  try {
    const call = createApiClient(server.url);
    const issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!, "Bench Issuer");
    const client = createPublicClient({ transport: http(server.rpcUrl) });
    const ownerOf = (tokenId: bigint) =>
      client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [tokenId] });

    const createEdition = (maxSupply: number, name: string) => createBenchEdition({ serverUrl: server.url, call, issuer, maxSupply, name });

    async function submit(editionId: bigint, body: unknown, idempotencyKey: string): Promise<string> {
      const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
        key: issuer.apiKey,
        headers: { "idempotency-key": idempotencyKey },
        body,
      });
      if (accepted.status !== 202) throw new Error(`mint: HTTP ${accepted.status} ${JSON.stringify(accepted.body)}`);
      return accepted.body.jobId;
    }

    async function waitForJob(jobId: string, onProgress?: (done: number) => void): Promise<JobView> {
      for (;;) {
        const job = await call<JobView>("GET", `/api/jobs/${jobId}`, { key: issuer.apiKey });
        if (job.status !== 200) throw new Error(`job ${jobId}: HTTP ${job.status}`);
        onProgress?.(job.body.progress.done);
        if (job.body.state === "completed") return job.body;
        if (job.body.state === "failed") throw new Error(`job ${jobId} failed: ${JSON.stringify(job.body.error)}`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }

    const airdropSeconds: number[] = [];
    const endToEndTokensPerSecond: number[] = [];
    const airdropTokensPerSecond: number[] = [];
    const editionSeconds: number[] = [];
    const progressSteps: number[] = [];
    const singleP50: number[] = [];
    const singleP95: number[] = [];
    const claimsPerSecond: number[] = [];
    const claimP50: number[] = [];
    const claimP95: number[] = [];
    const claimTransactions: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // 1. The airdrop, end to end from the upload.
      const started = performance.now();
      const { editionId, metadataCid } = await createEdition(AIRDROP + SPARE_SERIALS, `Airdrop ${round}`);
      const editionDone = performance.now();
      const recipients = Array.from({ length: AIRDROP }, (_, index) => recipient(round, index));
      const jobId = await submit(editionId, { recipients }, `bench-airdrop-${round}`);
      const seen = new Set<number>();
      const job = await waitForJob(jobId, (done) => seen.add(done));
      const finished = performance.now();
      if (job.progress.done !== AIRDROP || job.tokenIds.length !== AIRDROP) throw new Error(`airdrop job reports ${job.progress.done} of ${AIRDROP}`);
      const edition = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] });
      if (edition.mintedCount !== BigInt(AIRDROP)) throw new Error(`chain counts ${edition.mintedCount} minted of ${AIRDROP}`);
      for (let sample = 0; sample < 50; sample++) {
        const index = Math.floor((sample * AIRDROP) / 50);
        const tokenId = BigInt(job.tokenIds[index]!);
        if ((await ownerOf(tokenId)) !== recipients[index]) throw new Error(`token ${tokenId} is not owned by recipient ${index}`);
      }
      for (const serial of [1, Math.ceil(AIRDROP / 2), AIRDROP]) {
        const document = await fetch(`${server.url}/ipfs/${metadataCid}/${serial}.json`);
        if (document.status !== 200) throw new Error(`metadata of serial ${serial}: HTTP ${document.status}`);
      }
      editionSeconds.push((editionDone - started) / 1000);
      airdropSeconds.push((finished - editionDone) / 1000);
      endToEndTokensPerSecond.push(AIRDROP / ((finished - started) / 1000));
      airdropTokensPerSecond.push(AIRDROP / ((finished - editionDone) / 1000));
      progressSteps.push(seen.size);
      log(`round ${round + 1}: edition ${((editionDone - started) / 1000).toFixed(1)} s, airdrop ${((finished - editionDone) / 1000).toFixed(1)} s, ${seen.size} progress values seen`);

      // 2. Single mints, CONCURRENCY in flight.
      const single = await createEdition(SINGLE_MINTS, `Singles ${round}`);
      const latencies: number[] = [];
      const minted: Array<{ tokenId: bigint; to: Address }> = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < SINGLE_MINTS) {
            const index = next++;
            const to = recipient(1_000 + round, index);
            const sent = performance.now();
            const singleJob = await waitForJob(await submit(single.editionId, { to, quantity: 1 }, `bench-single-${round}-${index}`));
            latencies.push(performance.now() - sent);
            if (singleJob.tokenIds.length !== 1) throw new Error(`single mint ${index}: ${singleJob.tokenIds.length} tokens`);
            minted.push({ tokenId: BigInt(singleJob.tokenIds[0]!), to });
          }
        }),
      );
      if (new Set(minted.map((entry) => entry.tokenId)).size !== SINGLE_MINTS) throw new Error("single mints gave duplicate token ids");
      for (const { tokenId, to } of minted) if ((await ownerOf(tokenId)) !== to) throw new Error(`single mint ${tokenId} not owned by ${to}`);
      singleP50.push(quantile(latencies, 0.5));
      singleP95.push(quantile(latencies, 0.95));
      log(`round ${round + 1}: single mints p50 ${singleP50.at(-1)!.toFixed(0)} ms, p95 ${singleP95.at(-1)!.toFixed(0)} ms`);

      // 3. Claim codes, CLAIM_CONCURRENCY visitors at a time, each timed from the scan to its token owned in the index.
      if (CLAIMS > 0) {
        const claimEdition = await createEdition(CLAIMS, `Claims ${round}`);
        const batch = await call<{ batchId: string }>("POST", `/api/collections/${issuer.collection}/editions/${claimEdition.editionId}/claim-batches`, {
          key: issuer.apiKey,
          body: { count: CLAIMS, validForSeconds: 3600 },
        });
        if (batch.status !== 201) throw new Error(`claim batch: HTTP ${batch.status} ${JSON.stringify(batch.body)}`);
        const listed = await call<{ codes: Array<{ code: string }> }>("GET", `/api/claim-batches/${batch.body.batchId}/codes`, { key: issuer.apiKey });
        const codes = listed.body.codes.map((item) => item.code);
        const claimLatencies: number[] = [];
        const owned: Array<{ tokenId: string; to: Address; txHash: string }> = [];
        let nextCode = 0;
        const claimsStarted = performance.now();
        await Promise.all(
          Array.from({ length: Math.min(CLAIM_CONCURRENCY, CLAIMS) }, async () => {
            while (nextCode < codes.length) {
              const index = nextCode++;
              const code = codes[index]!;
              const to = recipient(2_000 + round, index);
              const scanned = performance.now();
              const held = await call<{ holdToken: string }>("POST", `/api/claims/${code}/hold`, { body: {} });
              if (held.status !== 200) throw new Error(`hold ${index}: HTTP ${held.status} ${JSON.stringify(held.body)}`);
              const claimed = await call("POST", `/api/claims/${code}`, { body: { to, holdToken: held.body.holdToken } });
              if (claimed.status !== 200) throw new Error(`claim ${index}: HTTP ${claimed.status} ${JSON.stringify(claimed.body)}`);
              let claim: { state: string; tokenId: string | null; txHash: string | null };
              for (;;) {
                claim = (await call<typeof claim>("GET", `/api/claims/${code}`)).body;
                if (claim.state === "minted") break;
                if (claim.state === "failed") throw new Error(`claim ${index} failed: ${JSON.stringify(claim)}`);
                await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
              }
              for (;;) {
                const token = await call<{ token: { owner: string | null } }>("GET", `/api/tokens/${issuer.collection}/${claim.tokenId}`);
                if (token.status === 200 && token.body.token.owner?.toLowerCase() === to.toLowerCase()) break;
                await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
              }
              claimLatencies.push(performance.now() - scanned);
              owned.push({ tokenId: claim.tokenId!, to, txHash: claim.txHash! });
            }
          }),
        );
        const claimsSeconds = (performance.now() - claimsStarted) / 1000;
        if (new Set(owned.map((entry) => entry.tokenId)).size !== CLAIMS) throw new Error("claims gave duplicate token ids");
        for (const { tokenId, to } of owned) if ((await ownerOf(BigInt(tokenId))) !== to) throw new Error(`claimed token ${tokenId} not owned by ${to}`);
        const claimed = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [claimEdition.editionId] });
        if (claimed.mintedCount !== BigInt(CLAIMS)) throw new Error(`chain counts ${claimed.mintedCount} claimed tokens of ${CLAIMS}`);
        claimsPerSecond.push(CLAIMS / claimsSeconds);
        claimP50.push(quantile(claimLatencies, 0.5));
        claimP95.push(quantile(claimLatencies, 0.95));
        claimTransactions.push(new Set(owned.map((entry) => entry.txHash)).size);
        log(
          `round ${round + 1}: ${CLAIMS} claims in ${claimsSeconds.toFixed(1)} s (${claimTransactions.at(-1)} transactions), scan to owned p50 ${claimP50.at(-1)!.toFixed(0)} ms, p95 ${claimP95.at(-1)!.toFixed(0)} ms`,
        );
      }
    }

    const results: MintResults = {
      generatedAt: new Date().toISOString(),
      command:
        (SPARE_SERIALS > 0 ? `BENCH_SPARE_SERIALS=${SPARE_SERIALS} ` : "") +
        (AIRDROP === 10_000 && SINGLE_MINTS === 200 && CLAIMS === 1_000 && CLAIM_CONCURRENCY === 100 && ROUNDS === 3
          ? "npm run bench:mint"
          : `BENCH_AIRDROP=${AIRDROP} BENCH_SINGLE_MINTS=${SINGLE_MINTS} BENCH_CLAIMS=${CLAIMS} BENCH_CLAIM_CONCURRENCY=${CLAIM_CONCURRENCY} BENCH_ROUNDS=${ROUNDS} npm run bench:mint`),
      versions: await benchVersions(),
      airdropRecipients: AIRDROP,
      singleMints: SINGLE_MINTS,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      editionSeconds: spreadOf(editionSeconds, 1),
      airdropSeconds: spreadOf(airdropSeconds, 1),
      endToEndTokensPerSecond: spreadOf(endToEndTokensPerSecond, 0),
      airdropTokensPerSecond: spreadOf(airdropTokensPerSecond, 0),
      progressValuesSeen: spreadOf(progressSteps, 0),
      singleMintP50Ms: spreadOf(singleP50, 0),
      singleMintP95Ms: spreadOf(singleP95, 0),
      ...(CLAIMS > 0
        ? {
            claims: {
              codes: CLAIMS,
              concurrency: CLAIM_CONCURRENCY,
              claimsPerSecond: spreadOf(claimsPerSecond, 0),
              scanToOwnedP50Ms: spreadOf(claimP50, 0),
              scanToOwnedP95Ms: spreadOf(claimP95, 0),
              transactions: spreadOf(claimTransactions, 0),
            },
          }
        : {}),
    };
    await writeFile(path.join(root, "bench", "results", "mint.json"), `${JSON.stringify(results, null, 2)}\n`);
    await writeBenchmarksReport(root);
    log(JSON.stringify(results));
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Part 2: single-mint latency against the chain's own inclusion time, on an instant chain and on 2-second blocks. */
async function runLatency(): Promise<void> {
  const loadBefore = os.loadavg();
  const chains: ChainLatency[] = [];
  chains.push(await runMintLatency({ blockTimeSeconds: 0, sequential: LATENCY_SEQUENTIAL, inFlight: LATENCY_IN_FLIGHT, inFlightTotal: LATENCY_IN_FLIGHT_TOTAL, log }));
  chains.push(
    await runMintLatency({
      blockTimeSeconds: 2,
      sequential: Math.ceil(LATENCY_SEQUENTIAL / 3),
      inFlight: LATENCY_IN_FLIGHT,
      inFlightTotal: Math.ceil(LATENCY_IN_FLIGHT_TOTAL / 3),
      log,
    }),
  );
  const results: MintLatencyResults = {
    generatedAt: new Date().toISOString(),
    command:
      (LATENCY_SEQUENTIAL === 45 && LATENCY_IN_FLIGHT_TOTAL === 48 ? "" : `BENCH_LATENCY_SEQUENTIAL=${LATENCY_SEQUENTIAL} BENCH_LATENCY_IN_FLIGHT_TOTAL=${LATENCY_IN_FLIGHT_TOTAL} `) +
      (PART === "latency" ? "BENCH_MINT_PART=latency npm run bench:mint" : "npm run bench:mint"),
    versions: await benchVersions(),
    loadBefore: loadBefore.map((value) => Math.round(value * 100) / 100),
    loadAfter: os.loadavg().map((value) => Math.round(value * 100) / 100),
    chains,
  };
  await writeFile(path.join(root, "bench", "results", "mint-latency.json"), `${JSON.stringify(results, null, 2)}\n`);
  await writeBenchmarksReport(root);
  log(JSON.stringify(results));
}

if (PART !== "latency") await runPipeline();
if (PART !== "pipeline") await runLatency();
