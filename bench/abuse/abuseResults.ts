import type { BenchVersions } from "../support/versions.js";

/** Honest readers' figures over one phase. */
export interface HonestReaderFigures {
  requests: number;
  /** Answers other than 2xx, and requests that failed outright. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** What abusive clients sent during the loaded phase and how the server answered them. */
export interface AbuserFigures {
  name: string;
  requests: number;
  /** Status code (or "error" for a failed connection) → count. */
  answers: Record<string, number>;
}

/** What `npm run bench:abuse` writes to bench/results/abuse.json. */
export interface AbuseResults {
  generatedAt: string;
  command: string;
  versions: BenchVersions;
  phaseSeconds: number;
  honestClients: number;
  honestRatePerSecond: number;
  alone: HonestReaderFigures & { eventLoopMaxMs: number };
  underAttack: HonestReaderFigures & { eventLoopMaxMs: number };
  abusers: AbuserFigures[];
  mints: { jobsAccepted: number; tokensExpected: number; jobsCompleted: number; tokensOnChain: number; duplicateTokens: number };
  rssBeforeMb: number;
  rssAfterMb: number;
}

function goal(met: boolean): string {
  return met ? "met" : "**missed**";
}

/** The hostile-load section of docs/benchmarks.md. */
export function abuseSection(results: AbuseResults): string {
  const v = results.versions;
  const { alone, underAttack } = results;
  const p99Ratio = underAttack.p99Ms / Math.max(alone.p99Ms, 0.001);
  const mintsExact =
    results.mints.jobsCompleted === results.mints.jobsAccepted &&
    results.mints.tokensOnChain === results.mints.tokensExpected &&
    results.mints.duplicateTokens === 0;
  return [
    "## Hostile load",
    "",
    `Command: \`${results.command}\` (generated ${results.generatedAt}). Machine: ${v.machine}. Node ${v.node}.`,
    "",
    `The server runs in its own process with the limits a deployment gets by default (nothing raised), embedded Anvil ` +
      `and PGlite, \`TRUST_PROXY=loopback\`; the benchmark stands in for a reverse proxy and names each simulated client ` +
      `in \`X-Forwarded-For\`. ${results.honestClients} honest readers, each its own address, ask for token, provenance, ` +
      `edition and metadata pages at a steady ${results.honestRatePerSecond} requests/s in all, for ${results.phaseSeconds} s ` +
      "alone and then again while the abusers below run. An issuer's mint jobs are accepted before and during the " +
      "attack and must each complete exactly once. The event loop's longest stall is the server's own " +
      "`monitorEventLoopDelay` maximum over the phase (prom-client's `nodejs_eventloop_lag_max_seconds`, reset at the phase start).",
    "",
    "| honest readers | requests | errors | p50 ms | p99 ms | max ms | event-loop max stall ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| alone | ${alone.requests} | ${alone.errors} | ${alone.p50Ms.toFixed(1)} | ${alone.p99Ms.toFixed(1)} | ${alone.maxMs.toFixed(1)} | ${alone.eventLoopMaxMs.toFixed(1)} |`,
    `| under attack | ${underAttack.requests} | ${underAttack.errors} | ${underAttack.p50Ms.toFixed(1)} | ${underAttack.p99Ms.toFixed(1)} | ${underAttack.maxMs.toFixed(1)} | ${underAttack.eventLoopMaxMs.toFixed(1)} |`,
    "",
    "Abusers during the attack phase, and what the server answered them:",
    "",
    "| abuser | requests | answers |",
    "| --- | ---: | --- |",
    ...results.abusers.map(
      (abuser) =>
        `| ${abuser.name} | ${abuser.requests} | ${Object.entries(abuser.answers)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, count]) => `${status}: ${count}`)
          .join(", ")} |`,
    ),
    "",
    `Mint jobs: ${results.mints.jobsAccepted} accepted, ${results.mints.jobsCompleted} completed; ` +
      `${results.mints.tokensOnChain} tokens on chain for ${results.mints.tokensExpected} asked, ${results.mints.duplicateTokens} duplicates. ` +
      `Server RSS ${results.rssBeforeMb} MB before the attack, ${results.rssAfterMb} MB after.`,
    "",
    "| goal | measured | |",
    "| --- | --- | --- |",
    `| honest p99 under attack within 2× of alone | ${p99Ratio.toFixed(2)}× | ${goal(p99Ratio <= 2)} |`,
    `| zero errors for honest readers | ${underAttack.errors} | ${goal(underAttack.errors === 0 && alone.errors === 0)} |`,
    `| event loop's longest stall under 100 ms | ${underAttack.eventLoopMaxMs.toFixed(1)} ms | ${goal(underAttack.eventLoopMaxMs < 100)} |`,
    `| every accepted mint job completed exactly once | ${results.mints.jobsCompleted}/${results.mints.jobsAccepted} jobs, ${results.mints.duplicateTokens} duplicates | ${goal(mintsExact)} |`,
    "",
    "The abusers run in a process of their own (`bench/abuse/runAbusers.ts`): in the benchmark's process their " +
      "210 MiB uploads stalled its own event loop for up to 2 s, which an earlier version of this benchmark " +
      "reported as the honest readers' latency. The benchmark logs its own event loop's longest stall for each " +
      "phase to show it measured the server, not itself.",
    "",
    "Why the p99 goal is missed when it is (not yet attributed by measurement): nothing here refuses an honest " +
      "reader and the server's event loop stays under 100 ms, but its one main thread, its one PGlite connection " +
      "and its file-backed block store are shared. Within their bounds the abusers still buy real work on them: " +
      "edition-wide bundles and verification jobs (`VERIFICATION_MAX_RUNNING` at once, each a verification of " +
      "every token of the edition, re-pinned every `VERIFICATION_SNAPSHOT_SECONDS`), the token reports the verify " +
      "limit lets through, and a whole anonymous budget of token reads from one key-rotating address. The " +
      "readers' slowest route is the metadata document through `/ipfs`, which reads the block store as the " +
      "verifications do. `BENCH_ABUSE_ONLY=<word>` runs only the abusers whose name contains it, to attribute " +
      "the tail; moving verification into a worker (its library is platform-free) is the likely next step.",
    "",
  ].join("\n");
}
