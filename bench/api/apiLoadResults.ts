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
    `| ${label} | ${memory.rssMb} | ${memory.heapTotalMb} | ${memory.heapUsedMb} | ${memory.wasmResidentMb ?? "—"} | ` +
    `${memory.wasmResidentMb === undefined ? "—" : Math.round((memory.rssMb - memory.heapTotalMb - memory.wasmResidentMb) * 10) / 10} |`;
  const totalRequests = results.runs.filter((run) => run.target !== "ponder").reduce((sum, run) => sum + run.requests, 0);
  const lines = [
    `## ${title}`,
    "",
    `Command: \`${results.command}\` (generated ${results.generatedAt}; ${Math.round(results.benchSeconds)} s in all, of which the chain ${Math.round(results.chainBuildSeconds)} s). ` +
      `Machine: ${v.machine}. Node ${v.node}, PGlite ${v.pglite}, PostgreSQL ${v.postgres} (Ponder's), Ponder ${v.ponder}, autocannon ${v.autocannon}.`,
    ...(results.note ? ["", `Conditions: ${results.note}`] : []),
    "",
    `The server (its own process, PGlite, rate limiter in the path with its limits raised), started cold on an index of ${results.tokens.toLocaleString("en-US")} tokens ` +
      `and ${results.transfers.toLocaleString("en-US")} transfers built by the platform's indexer from a real Anvil chain; Ponder (bench/peers/ponder, ` +
      "its own GraphQL API) indexed the same chain into PostgreSQL. autocannon on loopback, " +
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
    "The server's memory (MB), each sample after a full GC (the server runs with `--expose-gc`): V8's heap; the resident pages of " +
      "PGlite's WebAssembly memory, where PostgreSQL keeps its shared buffers (from /proc/<pid>/smaps); and the rest of RSS " +
      "(code, native allocations: RSS less heap total less PGlite resident):",
    "",
    "| when | RSS | heap total | heap used | PGlite resident | rest |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    memoryRow("before the runs", results.memoryBefore),
    memoryRow("after the runs", results.memoryAfter),
    "",
  ];
  return lines.join("\n");
}

/** How the routes reach these figures, and what the server's memory does (after the main API load section). */
export function apiLoadNotes(): string {
  return [
    "How: the token route is one indexed query (token, collection, edition, the platform's edition name, the recorded " +
      "metadata template and the indexed block, server/provenance/getToken.ts); the serial's metadata document is rendered " +
      "from the template in microseconds, byte for byte the document in IPFS (server/storage/metadata/metadataTemplate.ts, " +
      "tested in server/provenance/renderedMetadata.test.ts). Only a directory the platform did not write is read from the " +
      "IPFS store, and cached by CID (lru-cache, bounded by size, entries kept as JSON text). The provenance route is one " +
      "index range scan with the indexed block joined in.",
    "",
  ].join("\n");
}
