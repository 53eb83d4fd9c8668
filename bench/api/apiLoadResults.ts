import type { BenchVersions } from "../support/versions.js";
import type { Spread } from "../support/stats.js";

import { formatSpread } from "../support/stats.js";

/** What a run loads: the server's liveness probe (the floor), its two token routes, or Ponder's GraphQL API. */
export type ApiLoadTarget = "health" | "token" | "provenance" | "ponder";

/** One bounded autocannon run. */
export interface ApiLoadRun {
  round: number;
  target: ApiLoadTarget;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** The server's memory at one moment (MB). */
export interface ApiLoadMemory {
  rssMb: number;
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** RSS less V8's heap and external memory: code, PGlite's WebAssembly memory, native allocations. */
  otherMb: number;
  /** Resident pages of PGlite's WebAssembly memory (its shared buffers live there); absent in older results. */
  wasmResidentMb?: number;
}

/** What `npm run bench:api` writes to bench/results/api.json. */
export interface ApiLoadResults {
  generatedAt: string;
  command: string;
  versions: BenchVersions;
  tokens: number;
  transfers: number;
  chainBuildSeconds: number;
  benchSeconds: number;
  /** Whether the edition's metadata template was recorded (false: every document read from the IPFS store). */
  metadataTemplate: boolean;
  requestsPerRun: number;
  rounds: number;
  runs: ApiLoadRun[];
  figures: Array<{ target: ApiLoadTarget; connections: number; requestsPerSecond: Spread; p99Ms: Spread }>;
  /** Requests/s ratios, each within one round. */
  ratios: Array<{
    connections: number;
    tokenVsHealth: Spread;
    provenanceVsHealth: Spread;
    tokenVsPonder: Spread | null;
    provenanceVsPonder: Spread | null;
  }>;
  memoryBefore: ApiLoadMemory;
  memoryAfter: ApiLoadMemory;
  ponderProblem: string | null;
  /** Conditions of the run worth knowing (e.g. other work on the machine). */
  note: string | null;
}

const TARGETS: Record<ApiLoadTarget, string> = {
  health: "`GET /api/health/live` (floor)",
  token: "`GET /api/tokens/:address/:tokenId`",
  provenance: "`GET /api/tokens/:address/:tokenId/provenance`",
  ponder: "Ponder GraphQL `token` + `transfers`",
};

function goal(met: boolean): string {
  return met ? "met" : "**missed**";
}

/** The API load section of docs/benchmarks.md. */
export function apiLoadSection(results: ApiLoadResults, title = "API load"): string {
  const v = results.versions;
  const at16 = results.ratios.find((ratio) => ratio.connections === 16)!;
  const p99At16 = (target: ApiLoadTarget) => results.figures.find((figure) => figure.target === target && figure.connections === 16)?.p99Ms;
  const tokenP99 = p99At16("token")!;
  const provenanceP99 = p99At16("provenance")!;
  const growth = results.memoryAfter.rssMb / results.memoryBefore.rssMb - 1;
  const memoryRow = (label: string, memory: ApiLoadMemory) =>
    // 0: the WebAssembly mapping was not recognised in /proc/<pid>/smaps (see wasmResidentMegabytes).
    `| ${label} | ${memory.rssMb} | ${memory.heapTotalMb} | ${memory.heapUsedMb} | ${memory.externalMb} | ${memory.wasmResidentMb || "—"} | ` +
    `${Math.round((memory.rssMb - memory.heapTotalMb - memory.externalMb) * 10) / 10} |`;
  const totalRequests = results.runs.filter((run) => run.target !== "ponder").reduce((sum, run) => sum + run.requests, 0);
  const lines = [
    `## ${title}`,
    "",
    `Command: \`${results.command}\` (generated ${results.generatedAt}; ${Math.round(results.benchSeconds)} s in all, of which the chain ${Math.round(results.chainBuildSeconds)} s). ` +
      `Machine: ${v.machine}. Node ${v.node}, PGlite ${v.pglite}, PostgreSQL ${v.postgres} (Ponder's), Ponder ${v.ponder}, autocannon ${v.autocannon}.`,
    ...(results.note ? ["", `Conditions: ${results.note}`] : []),
    "",
    `The server (its own process, PGlite, rate limiter in the path with its limits raised), started cold on an index of ${results.tokens.toLocaleString("en-US")} tokens ` +
      `and ${results.transfers.toLocaleString("en-US")} transfers built by the platform's indexer from a real Anvil chain` +
      (results.ponderProblem === null ? "; Ponder (bench/peers/ponder, its own GraphQL API) indexed the same chain into PostgreSQL. " : ". ") +
      "autocannon on loopback, " +
      `${results.requestsPerRun.toLocaleString("en-US")} requests per run (at most 120 s), each for a random token; rounds alternate the targets. ` +
      `Before the load, 20 tokens are checked on both routes and on Ponder against the chain's owners and histories, and the token route's ` +
      "metadata against the document stored in IPFS, byte for byte; every run must end with zero errors, zero timeouts, zero non-2xx " +
      "answers and no answer shorter than a correct one (GraphQL answers its errors with 200). The load generator shares the machine's " +
      "two cores with the server (and Ponder with PostgreSQL), so these are figures of the pair.",
    "",
    `Min / median / max over ${results.rounds} rounds:`,
    "",
    "| target | connections | requests/s | p99 ms |",
    "| --- | ---: | ---: | ---: |",
    ...results.figures.map(
      (figure) => `| ${TARGETS[figure.target]} | ${figure.connections} | ${formatSpread(figure.requestsPerSecond, 0)} | ${formatSpread(figure.p99Ms, 1)} |`,
    ),
    "",
    "Ratios of requests/s within a round (min / median / max):",
    "",
    "| connections | token / floor | provenance / floor | token / Ponder | provenance / Ponder |",
    "| ---: | ---: | ---: | ---: | ---: |",
    ...results.ratios.map(
      (ratio) =>
        `| ${ratio.connections} | ${formatSpread(ratio.tokenVsHealth, 2)} | ${formatSpread(ratio.provenanceVsHealth, 2)} | ` +
        `${ratio.tokenVsPonder ? formatSpread(ratio.tokenVsPonder, 2) : "—"} | ${ratio.provenanceVsPonder ? formatSpread(ratio.provenanceVsPonder, 2) : "—"} |`,
    ),
    "",
    "Goals (issue 17), on the medians at 16 connections:",
    "",
    `- token route ≥ 50 % of the floor: ${(at16.tokenVsHealth.median * 100).toFixed(0)} %, ${goal(at16.tokenVsHealth.median >= 0.5)}; ` +
      `provenance route: ${(at16.provenanceVsHealth.median * 100).toFixed(0)} %, ${goal(at16.provenanceVsHealth.median >= 0.5)}.`,
    `- p99 ≤ 50 ms: token route ${tokenP99.median} ms (worst round ${tokenP99.max} ms), ${goal(tokenP99.max <= 50)}; ` +
      `provenance route ${provenanceP99.median} ms (worst ${provenanceP99.max} ms), ${goal(provenanceP99.max <= 50)}.`,
    "- zero errors: met (a run with any error stops the benchmark before it reports).",
    `- RSS after within 25 % of before: ${results.memoryBefore.rssMb} → ${results.memoryAfter.rssMb} MB (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(0)} %) over ` +
      `${totalRequests.toLocaleString("en-US")} requests, ${goal(Math.abs(growth) <= 0.25)}.`,
    at16.tokenVsPonder && at16.provenanceVsPonder
      ? `- ours ≥ Ponder's API: token route ${at16.tokenVsPonder.median.toFixed(2)}×, provenance route ${at16.provenanceVsPonder.median.toFixed(2)}× Ponder's ` +
        `requests/s, ${goal(at16.tokenVsPonder.median >= 1 && at16.provenanceVsPonder.median >= 1)}.`
      : `- ours ≥ Ponder's API: not measured (Ponder ${results.ponderProblem ?? "absent"}).`,
    "",
    "The server's memory (MB), each sample after a full GC (the server runs with `--expose-gc`): V8's heap; `external`, " +
      "which holds PGlite's WebAssembly memory at its full allocated size (where PostgreSQL keeps its shared buffers); the " +
      "resident part of that memory where /proc/<pid>/smaps showed it; and the rest of RSS (RSS less heap total less " +
      "external: code, native allocations, and whatever of PGlite's memory was not yet resident at the first sample):",
    "",
    "| when | RSS | heap total | heap used | external | PGlite resident | rest |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    memoryRow("before the runs", results.memoryBefore),
    memoryRow("after the runs", results.memoryAfter),
    "",
  ];
  return lines.join("\n");
}

/** How the routes reach these figures, what the server's memory does, and why goals are missed (after the main API load section). */
export function apiLoadNotes(): string {
  return [
    "How: the token route is one query, `indexer_token_read` (migration 0103, a PL/pgSQL function so its plan is kept: " +
      "planning the six-relation read per call cost twice the running of it on PGlite, 0.92 against 0.47 ms a call in a " +
      "side-by-side loop), returning the token, collection, edition, the platform's edition name, the recorded metadata " +
      "template and the indexed block; the serial's metadata document is rendered from the template in microseconds, byte for " +
      "byte the document in IPFS (server/storage/metadata/metadataTemplate.ts, tested in server/provenance/renderedMetadata.test.ts " +
      "and checked here on 20 tokens against the stored bytes). Only a directory the platform did not write is read from the " +
      "IPFS store, cached by CID (lru-cache, bounded by size, entries kept as JSON text). The provenance route is one index " +
      "range scan with the indexed block joined in. Before these changes the token route made three queries and walked the " +
      "edition's HAMT directory per request: 72 req/s, p99 575 ms at 16 connections on 20,000 tokens; the section below " +
      "measures that path again (BENCH_NO_TEMPLATE=1).",
    "",
    "Why the floor ratios are missed (24-32 % and 18-21 % of the floor where 50 % was the goal, at 16 connections): PGlite " +
      "is PostgreSQL compiled to WebAssembly and run on the server's own event loop, one query at a time. Every query costs " +
      "main-thread CPU that `GET /api/health/live` (no query) never pays: about 0.5 ms for the token read with its plan " +
      "kept, about 0.7 ms for a ten-row history, and 0.07-0.2 ms even for `SELECT 1`, against ≈ 0.3 ms for the whole " +
      "liveness request. On two cores shared with autocannon (and, here, with other work) that sets the ratio; the routes " +
      "did each beat Ponder's GraphQL API answering the same question from PostgreSQL in every round (1.1-2.2× at 16 connections, medians 1.58× and 1.33×). On " +
      "PostgreSQL the queries leave the event loop; that configuration was not measured in this run. p99 at 16 connections " +
      "met 50 ms for the token route in every round of the final run (37-42 ms) and for the provenance route in one of three " +
      "(45-68 ms).",
    "",
    "Memory (the RSS growth asked about in issue 17: 410 → 754 MB over 60,000 requests): sampled after a full GC, V8's heap " +
      "does not grow over the runs (heap used 58.6 MB before, 58.1 MB after), so no JavaScript object is kept per request " +
      "and no cache grows without bound: the metadata cache (now only for foreign directories) holds JSON text under a size " +
      "bound, and the old cache's bound (32 MiB of JSON length, kept as objects several times that size) is gone. The growth " +
      "is outside V8's heap: PGlite's WebAssembly memory is fixed at ≈ 204 MB (`external` does not change, so it never " +
      "grew) and becomes resident as PostgreSQL's 128 MB of shared buffers fill with a 1,000,000-transfer index read at " +
      "random; the remainder is native memory the allocator keeps after the per-query result buffers PGlite copies out of " +
      "WebAssembly are freed. Both are bounded by this process's working set rather than by requests, but the split between " +
      "them was not measured (the resident-pages probe did not find PGlite's mapping in the server process; it reads 0 " +
      "there), so the 25 % goal is missed (+44 %) and the last part of the explanation is a hypothesis. With every document " +
      "read from the IPFS store (section below) the growth outside the heap is larger (+272 MB over 30,000 requests on " +
      "20,000 tokens), which is where the old route's growth came from.",
    "",
  ].join("\n");
}
