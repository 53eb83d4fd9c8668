import type { BenchVersions } from "../support/versions.js";
import type { Spread } from "../support/stats.js";

import { formatSpread } from "../support/stats.js";

export type IngestIndexer = "vermilion-pglite" | "vermilion-postgres" | "ponder-postgres";

/** One cold-start run of one indexer over the whole chain. */
export interface IngestRun {
  round: number;
  indexer: IngestIndexer;
  seconds: number;
  transfersPerSecond: number;
}

/** What `npm run bench:ingest` writes to bench/results/ingest.json. */
export interface IngestResults {
  generatedAt: string;
  command: string;
  versions: BenchVersions;
  chain: { tokens: number; transferLogs: number; blocks: number; buildSeconds: number };
  maxBlockRange: number;
  rounds: number;
  runs: IngestRun[];
  transfersPerSecond: Record<IngestIndexer, Spread | null>;
  /** Our transfers per second / Ponder's, per round. */
  vsPonder: { pglite: Spread | null; postgres: Spread | null };
  /** Why Ponder has no figure, when it has none. */
  ponderProblem: string | null;
}

const LABELS: Record<IngestIndexer, string> = {
  "vermilion-pglite": "Vermilion indexer → PGlite (embedded, on disk)",
  "vermilion-postgres": "Vermilion indexer → PostgreSQL",
  "ponder-postgres": "Ponder → PostgreSQL",
};

/** The indexer ingest section of docs/benchmarks.md. */
export function ingestSection(results: IngestResults, title = "Indexer ingest"): string {
  const v = results.versions;
  const lines = [
    `## ${title}`,
    "",
    `Command: \`${results.command}\` (generated ${results.generatedAt}). Machine: ${v.machine}. ` +
      `Node ${v.node}, PGlite ${v.pglite}, PostgreSQL ${v.postgres}, Anvil ${v.anvil}, Ponder ${v.ponder}.`,
    "",
    `Chain: built like the provenance benchmark's (${results.chain.tokens.toLocaleString("en-US")} tokens, ` +
      `${results.chain.transferLogs.toLocaleString("en-US")} Transfer logs in ${results.chain.blocks.toLocaleString("en-US")} blocks, built in ` +
      `${results.chain.buildSeconds.toFixed(0)} s). Each run starts cold (an empty database, schema or, for Ponder, a database of its own so its RPC cache is empty too; tables created as part of the run) ` +
      `and ends when the indexer reports the head (ours: \`waitUntilSynced\`; Ponder: every transfer of the chain is in its table, since its \`/ready\` turns 200 before its realtime range is indexed; its process start ` +
      `included); then its rows are checked (transfer and token counts, sampled owners against the chain) before the figure is kept. ` +
      `Both read logs in ranges of ${results.maxBlockRange} blocks (≈ 7,200 logs). Ours stores more per event than Ponder's app ` +
      "(the transfer row with every field of its log, from which the view `indexer_logs` gives back the raw log, token and " +
      "edition rows, block hashes, undo entries near the head, mint origins read from the transactions); the Ponder app " +
      "keeps a transfer row and each token's owner. Each round runs the three one after another (PGlite, PostgreSQL, Ponder), so drift in machine load hits all alike." +
      (results.chain.transferLogs < 1_000_000
        ? " This chain is smaller than the benchmark's full size (1,000,000 transfers), which the plain command runs."
        : ""),
    "",
    `Transfers per second, min / median / max over ${results.rounds} rounds:`,
    "",
    "| indexer | transfers/s | runs |",
    "| --- | ---: | ---: |",
  ];
  for (const indexer of Object.keys(LABELS) as IngestIndexer[]) {
    const spread = results.transfersPerSecond[indexer];
    lines.push(`| ${LABELS[indexer]} | ${spread ? formatSpread(spread, 0) : "—"} | ${spread?.runs ?? 0} |`);
  }
  lines.push("");
  if (results.ponderProblem) {
    lines.push(`Ponder: ${results.ponderProblem}`);
  } else {
    const pglite = results.vsPonder.pglite;
    const postgres = results.vsPonder.postgres;
    lines.push(
      `Relative to Ponder (ours / Ponder, per round): PGlite ${pglite ? formatSpread(pglite, 2) : "—"}, PostgreSQL ${postgres ? formatSpread(postgres, 2) : "—"}. ` +
        `Target (no slower than Ponder), on the medians: PostgreSQL ${postgres && postgres.median >= 1 ? "met" : "**not met**"}, ` +
          `PGlite ${pglite && pglite.median >= 1 ? "met" : "**not met**"} (PGlite is the embedded single-process default; Ponder writes to the PostgreSQL server).`,
    );
  }
  lines.push(
    "",
    "Ponder 0.17.x, its current line, cannot be installed from the registry this machine reaches (its dependency " +
      "`@ponder/utils@0.3.0` is missing there), so the peer is Ponder 0.16.10, the newest version that installs " +
      "(pinned with its own lockfile in `bench/peers/ponder`).",
    "",
  );
  return lines.join("\n");
}
