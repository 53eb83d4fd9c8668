import type { BenchVersions } from "../support/versions.js";
import type { Spread } from "../support/stats.js";

import { formatSpread } from "../support/stats.js";

/** One file streamed through the upload scan in 64 KiB chunks. */
export interface ScanCase {
  name: string;
  sizeMiB: number;
  /** The longest time one chunk held the event loop. */
  maxChunkMs: Spread;
  p99ChunkMs: Spread;
  /** The longest chunk of SHA-256 alone: what the machine's noise gives the same loop. */
  sha256MaxChunkMs: Spread;
  /** Scan throughput over plain SHA-256 of the same chunks (the floor: every upload is hashed). */
  throughputVsSha256: Spread;
}

/** What `npm run bench:media` writes to bench/results/media.json. */
export interface MediaScanResults {
  generatedAt: string;
  command: string;
  versions: BenchVersions;
  rounds: number;
  scans: ScanCase[];
  /** The event loop's longest stall (monitorEventLoopDelay) while each off-loop check ran. */
  offLoop: Array<{ name: string; checkMs: Spread; maxEventLoopDelayMs: Spread }>;
}

/** The upload-scan section of docs/benchmarks.md. */
export function mediaScanSection(results: MediaScanResults): string {
  const v = results.versions;
  const lines = [
    "## Upload scan and media checks",
    "",
    `Command: \`${results.command}\` (generated ${results.generatedAt}). Machine: ${v.machine}. Node ${v.node}. ${results.rounds} rounds, min / median / max.`,
    "",
    "What an upload costs the event loop. Each file is fed to the streaming scan (`createMediaScan`: detection, size limit, " +
      "structure walk with every declared size checked, SHA-256, markup scan) in 64 KiB chunks, as an upload arrives; the figures " +
      "are the time one chunk holds the event loop, and the scan's throughput against SHA-256 alone on the same chunks.",
    "",
    "| file | MiB | longest chunk (ms) | p99 chunk (ms) | longest chunk, SHA-256 alone (ms) | throughput / SHA-256 |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...results.scans.map(
      (scan) =>
        `| ${scan.name} | ${scan.sizeMiB} | ${formatSpread(scan.maxChunkMs, 2)} | ${formatSpread(scan.p99ChunkMs, 3)} | ${formatSpread(scan.sha256MaxChunkMs, 2)} | ${formatSpread(scan.throughputVsSha256, 2)}× |`,
    ),
    "",
    "The checks that need the whole file run off the event loop; the event loop's longest stall " +
      "(`perf_hooks.monitorEventLoopDelay`, 10 ms resolution) while each ran:",
    "",
    "| check | duration (ms) | longest event-loop stall (ms) |",
    "| --- | ---: | ---: |",
    ...results.offLoop.map((check) => `| ${check.name} | ${formatSpread(check.checkMs, 0)} | ${formatSpread(check.maxEventLoopDelayMs, 1)} |`),
  ];
  return lines.join("\n");
}
