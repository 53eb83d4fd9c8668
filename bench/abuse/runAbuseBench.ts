/**
 * Hostile-load benchmark: honest readers at a steady rate, alone and then while abusive clients rotate
 * made-up API keys, flood verification and provenance bundles, flood the IPFS gateway and upload bombs,
 * and while an issuer's mint jobs are accepted. Loopback only; bounded in time (two phases of
 * BENCH_ABUSE_SECONDS each) and in requests (abusers are a fixed number of sequential loops).
 *
 * The benchmark plays a reverse proxy: the server trusts loopback (`TRUST_PROXY=loopback`) and every
 * simulated client names its own address in `X-Forwarded-For`, so the server tells them apart as it
 * would behind nginx.
 *
 * Run: npm run bench:abuse  (shorter: BENCH_ABUSE_SECONDS=15 npm run bench:abuse)
 */
import type { Address } from "viem";
import type { AbuseResults, AbuserFigures, HonestReaderFigures } from "./abuseResults.js";

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";

import { Agent, fetch as fetchWithAgent } from "undici";
import { createPublicClient, http } from "viem";

import { editionForm } from "./abuseRequests.js";
import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { samplePng } from "../../test/storage/mediaSamples.js";
import { quantile } from "../support/stats.js";
import { benchVersions } from "../support/versions.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const PHASE_SECONDS = Number(process.env.BENCH_ABUSE_SECONDS ?? 60);
const HONEST_CLIENTS = 16;
/** Each honest client's steady rate; 32 requests/s in all. */
const HONEST_RATE_PER_CLIENT = 2;
const PRE_MINTED = 200;
const log = (message: string) => console.log(`[abuse] ${message}`);

async function rssMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Math.round((Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024) * 10) / 10;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-bench-abuse-"));
const adminKey = randomBytes(24).toString("hex");
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
const child = spawn(process.execPath, [tsxCli, path.join(root, "bench", "abuse", "serveForAbuse.ts")], {
  cwd: root,
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: "0",
    LOG_LEVEL: "silent",
    TRUST_PROXY: "loopback",
    ADMIN_API_KEY: adminKey,
    // e.g. BENCH_SERVER_NODE_OPTIONS=--cpu-prof to see where the server's time goes under attack.
    ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
  },
  stdio: ["ignore", "pipe", "pipe"],
});
let serverOutput = "";
child.stderr?.on("data", (chunk: Buffer) => (serverOutput = (serverOutput + chunk.toString()).slice(-4_000)));

try {
  const { url, pid, rpcUrl } = await new Promise<{ url: string; pid: number; rpcUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${serverOutput}`)), 180_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      const match = /LISTENING (\S+) (\d+) (\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, pid: Number(match[2]), rpcUrl: match[3]! });
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${serverOutput}`)));
  });

  /** JSON call as one client (its address in X-Forwarded-For); throws unless `expect` matches. */
  const call = async <Body>(method: string, route: string, options: { key?: string; body?: unknown; form?: FormData; client?: string; headers?: Record<string, string> } = {}) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        "x-forwarded-for": options.client ?? "10.9.0.1",
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        ...options.headers,
      },
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body };
  };
  const expectStatus = <T extends { status: number; body: unknown }>(answer: T, status: number, what: string): T => {
    if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  };

  // Two issuers: a museum that mints through the run, and a careless one whose key uploads bombs.
  const makeIssuer = async (name: string) => {
    const issuer = expectStatus(await call<{ apiKey: string }>("POST", "/api/issuers", { key: adminKey, body: { name } }), 201, "issuer");
    const collection = expectStatus(
      await call<{ address: Address }>("POST", "/api/collections", { key: issuer.body.apiKey, body: { name: `${name} Collection`, symbol: "VRM" } }),
      201,
      "collection",
    );
    return { apiKey: issuer.body.apiKey, collection: collection.body.address };
  };
  const museum = await makeIssuer("Bench Museum");
  const careless = await makeIssuer("Careless Issuer");
  const edition = expectStatus(
    await call<{ editionId: string; metadataCid: string; mediaCid: string }>("POST", `/api/collections/${museum.collection}/editions`, {
      key: museum.apiKey,
      form: editionForm({ name: "Bench Edition", description: "Hostile-load benchmark", maxSupply: "10000" }, samplePng(64, 64)),
    }),
    201,
    "edition",
  ).body;
  const mintRoute = `/api/collections/${museum.collection}/editions/${edition.editionId}/mint`;
  const recipient = (index: number) => `0x${(0x1000 + index).toString(16).padStart(40, "0")}` as Address;

  type JobView = { state: string; tokenIds: string[]; error: unknown };
  const acceptedJobs: Array<{ jobId: string; quantity: number }> = [];
  const submitMint = async (index: number, recipients: Address[]) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      // A connection reset under load is retried with the same Idempotency-Key: what it is for.
      const answer = await call<{ jobId: string }>("POST", mintRoute, {
        key: museum.apiKey,
        client: "10.8.0.1",
        headers: { "idempotency-key": `bench-abuse-mint-${index}` },
        body: { recipients },
      }).catch((error: unknown) => ({ status: 0, body: { jobId: "", error: String(error) } }));
      if (answer.status === 202) {
        acceptedJobs.push({ jobId: answer.body.jobId, quantity: recipients.length });
        return;
      }
      if (answer.status !== 0 && answer.status !== 429 && answer.status !== 503) throw new Error(`mint ${index}: ${answer.status} ${JSON.stringify(answer.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`mint ${index} was never accepted`);
  };
  const waitForJobs = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    const views = new Map<string, JobView>();
    for (const { jobId } of acceptedJobs) {
      for (;;) {
        const job = await call<JobView>("GET", `/api/jobs/${jobId}`, { key: museum.apiKey, client: "10.8.0.1" }).catch(() => ({ status: 0, body: {} as JobView }));
        if (job.status === 200 && (job.body.state === "completed" || job.body.state === "failed")) {
          views.set(jobId, job.body);
          break;
        }
        if (Date.now() > deadline) throw new Error(`mint job ${jobId} did not finish: ${JSON.stringify(job.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    return views;
  };

  await submitMint(0, Array.from({ length: PRE_MINTED }, (_, index) => recipient(index)));
  const [seeded] = (await waitForJobs(120_000)).values();
  const tokenIds = seeded!.tokenIds;
  // Wait until the index serves the last pre-minted token.
  for (let attempt = 0; ; attempt++) {
    if ((await call("GET", `/api/tokens/${museum.collection}/${tokenIds.at(-1)}`)).status === 200) break;
    if (attempt > 300) throw new Error("the index never caught up with the pre-minted tokens");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`${PRE_MINTED} tokens minted and indexed`);

  const randomToken = () => tokenIds[Math.floor(Math.random() * tokenIds.length)]!;
  const honestRoutes = [
    () => `/api/tokens/${museum.collection}/${randomToken()}`,
    () => `/api/tokens/${museum.collection}/${randomToken()}/provenance`,
    () => `/api/collections/${museum.collection}/editions/${edition.editionId}`,
    () => `/ipfs/${edition.metadataCid}/${1 + Math.floor(Math.random() * PRE_MINTED)}.json`,
  ];

  const eventLoopMaxMs = async () => {
    const text = await (await fetch(`${url}/metrics`, { headers: { "x-forwarded-for": "10.7.0.1" } })).text();
    const match = /^vermilion_process_nodejs_eventloop_lag_max_seconds\S*\s+(\S+)/m.exec(text);
    if (!match) throw new Error("no event-loop lag in /metrics");
    return Number(match[1]) * 1000;
  };

  // Honest readers are other people's browsers: their own connections, never queued in the client-side
  // pool behind an abuser's half-sent 210 MiB upload or a bundle that takes seconds (as they were when
  // every simulated client shared Node's one global fetch pool).
  const honestAgent = new Agent({ connections: HONEST_CLIENTS * 4 });

  /** Honest readers: each its own address, each a steady schedule of requests (open loop). */
  const runHonestReaders = async (): Promise<HonestReaderFigures> => {
    const ownLoop = monitorEventLoopDelay({ resolution: 10 });
    ownLoop.enable();
    const latencies: number[] = [];
    const byRoute = honestRoutes.map(() => [] as number[]);
    let errors = 0;
    const endAt = performance.now() + PHASE_SECONDS * 1000;
    const pending: Array<Promise<void>> = [];
    await Promise.all(
      Array.from({ length: HONEST_CLIENTS }, async (_, client) => {
        const intervalMs = 1000 / HONEST_RATE_PER_CLIENT;
        let next = performance.now() + Math.random() * intervalMs;
        while (next < endAt) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
          const scheduled = next;
          next += intervalMs;
          const routeIndex = Math.floor(Math.random() * honestRoutes.length);
          const route = honestRoutes[routeIndex]!();
          pending.push(
            fetchWithAgent(`${url}${route}`, { dispatcher: honestAgent, headers: { "x-forwarded-for": `10.1.0.${client + 1}` }, signal: AbortSignal.timeout(10_000) })
              .then(async (response) => {
                await response.arrayBuffer();
                if (response.status < 200 || response.status > 299) errors++;
              })
              .catch(() => {
                errors++;
              })
              .finally(() => {
                latencies.push(performance.now() - scheduled);
                byRoute[routeIndex]!.push(performance.now() - scheduled);
              }),
          );
        }
      }),
    );
    await Promise.all(pending);
    ownLoop.disable();
    log(`the benchmark's own event loop: longest stall ${(ownLoop.max / 1e6).toFixed(0)} ms`);
    log(`honest p50/p99 by route (token, provenance, edition, metadata via /ipfs): ${byRoute.map((samples) => `${quantile(samples, 0.5).toFixed(0)}/${quantile(samples, 0.99).toFixed(0)} ms`).join(", ")}`);
    return { requests: latencies.length, errors, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), maxMs: Math.max(...latencies) };
  };

  // Phase 1: honest readers alone (with the mint jobs accepted before the attack).
  for (let index = 1; index <= 5; index++) await submitMint(index, [recipient(10_000 + index), recipient(20_000 + index)]);
  await eventLoopMaxMs();
  const alone = await runHonestReaders();
  const aloneLoop = await eventLoopMaxMs();
  log(`alone: ${JSON.stringify(alone)}, event loop max ${aloneLoop.toFixed(1)} ms`);

  // Phase 2: the same readers under attack, and an issuer still minting.
  const rssBeforeMb = await rssMegabytes(pid);
  const endAt = performance.now() + PHASE_SECONDS * 1000;
  const abuserProcess = spawn(
    process.execPath,
    [
      tsxCli,
      path.join(root, "bench", "abuse", "runAbusers.ts"),
      JSON.stringify({ url, collection: museum.collection, editionId: edition.editionId, mediaCid: edition.mediaCid, tokenIds, careless, seconds: PHASE_SECONDS }),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  let abuserOutput = "";
  abuserProcess.stdout?.on("data", (chunk: Buffer) => (abuserOutput += chunk.toString()));
  const attackers = new Promise<AbuserFigures[]>((resolve, reject) =>
    abuserProcess.once("exit", (code) => {
      const match = /ABUSERS (.*)/.exec(abuserOutput);
      if (code !== 0 || !match) reject(new Error(`the abusers' process exited with ${code}: ${abuserOutput.slice(-2_000)}`));
      else resolve(JSON.parse(match[1]!) as AbuserFigures[]);
    }),
  );
  const minting = (async () => {
    for (let index = 6; performance.now() < endAt; index++) {
      await submitMint(index, [recipient(10_000 + index), recipient(20_000 + index)]);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  await eventLoopMaxMs();
  const underAttack = await runHonestReaders();
  const underAttackLoop = await eventLoopMaxMs();
  const abusers = await attackers;
  await minting;
  const rssAfterMb = await rssMegabytes(pid);
  log(`under attack: ${JSON.stringify(underAttack)}, event loop max ${underAttackLoop.toFixed(1)} ms`);
  for (const abuser of abusers) log(`${abuser.name}: ${abuser.requests} requests, ${JSON.stringify(abuser.answers)}`);

  // Every mint job accepted before and during the attack completed exactly once.
  const views = await waitForJobs(300_000);
  const minted = [...views.values()].flatMap((job) => (job.state === "completed" ? job.tokenIds : []));
  const chainClient = createPublicClient({ transport: http(rpcUrl) });
  const onChain = await chainClient.readContract({ address: museum.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [BigInt(edition.editionId)] });
  const tokensOnChain = Number(onChain.mintedCount);
  const mints = {
    jobsAccepted: acceptedJobs.length,
    tokensExpected: acceptedJobs.reduce((sum, job) => sum + job.quantity, 0),
    jobsCompleted: [...views.values()].filter((job) => job.state === "completed").length,
    tokensOnChain,
    duplicateTokens: minted.length - new Set(minted).size,
  };
  log(`mints: ${JSON.stringify(mints)}`);

  const results: AbuseResults = {
    generatedAt: new Date().toISOString(),
    command: PHASE_SECONDS === 60 ? "npm run bench:abuse" : `BENCH_ABUSE_SECONDS=${PHASE_SECONDS} npm run bench:abuse`,
    versions: await benchVersions(),
    phaseSeconds: PHASE_SECONDS,
    honestClients: HONEST_CLIENTS,
    honestRatePerSecond: HONEST_CLIENTS * HONEST_RATE_PER_CLIENT,
    alone: { ...alone, eventLoopMaxMs: aloneLoop },
    underAttack: { ...underAttack, eventLoopMaxMs: underAttackLoop },
    abusers,
    mints,
    rssBeforeMb,
    rssAfterMb,
  };
  await writeFile(path.join(root, "bench", "results", "abuse.json"), `${JSON.stringify(results, null, 2)}\n`);
  await writeBenchmarksReport(root);
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  await rm(dataDir, { recursive: true, force: true });
}
