import type { BenchVersions } from "../support/versions.js";
import type { ProofBundleResults } from "./measureProofBundle.js";
import type { Spread } from "../support/stats.js";

import { formatSpread } from "../support/stats.js";

/** p50 and p99 of one way of answering, each as min / median / max over the rounds. */
export interface LatencySpread {
  samplesPerRound: number;
  p50Ms: Spread;
  p99Ms: Spread;
}

/** What `npm run bench:provenance` writes to bench/results/provenance.json. */
export interface ProvenanceResults {
  generatedAt: string;
  command: string;
  versions: BenchVersions;
  database: string;
  index: { tokens: number; transfers: number; indexSeconds: number; maxBlockRange: number };
  chain: { blocks: number; transferLogs: number; buildSeconds: number; hops: number };
  rounds: number;
  /** `GET /api/tokens/:address/:tokenId/provenance` over loopback HTTP. */
  api: LatencySpread;
  /** The same answer from the node: eth_getLogs by token id over every block, plus each block's timestamp. */
  getLogs: LatencySpread;
  /** eth_getLogs p50 / API p50, per round. */
  speedupP50: Spread;
  /** The proof-carrying bundle of a large edition (absent before issue 20's bench). */
  bundle?: ProofBundleResults & { generatedAt: string; command: string; /** What the run's figures need read with them (its conditions, a profile), kept with them. */ notes?: string };
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/** The proof-carrying bundle part of the provenance section. */
function bundleSection(bundle: NonNullable<ProvenanceResults["bundle"]>): string[] {
  return [
    "### Proof-carrying bundle of a large edition",
    "",
    `Command: \`${bundle.command}\` (generated ${bundle.generatedAt}; \`BENCH_PROVENANCE_PART=bundle\` runs this part alone). ` +
      `An edition of ${bundle.serials.toLocaleString("en-US")} serials on Anvil (minted in batches of 500, each serial then moved once, ` +
      `100 per transaction; ${bundle.chainBlocks} blocks), its \`bundle.car\` (version 3) built from the endpoint, then verified ` +
      "with no network against the pinned block's true hash (`--trust-block`): every proof checked, then every serial verified.",
    "",
    "| figure | value |",
    "| --- | ---: |",
    `| bundle (CAR) | ${megabytes(bundle.carBytes)} |`,
    `| of which the root block (JSON, hex strings) | ${megabytes(bundle.rootBytes)} |`,
    `| in it: headers | ${bundle.headers.count} headers, ${megabytes(bundle.headers.bytes)} binary |`,
    `| in it: block bodies (all receipts and transactions of ${bundle.blockBodies.count} blocks) | ${megabytes(bundle.blockBodies.bytes)} binary |`,
    `| in it: state proofs (pooled trie nodes, slot keys, code) | ${megabytes(bundle.stateProofBytes)} |`,
    `| in it: recorded answers (only the unproven ones: ${bundle.answers.count}) | ${megabytes(bundle.answers.bytes)} |`,
    `| of which content blocks (metadata, media) | ${megabytes(bundle.contentBytes)} |`,
    `| chain answers proven offline | ${bundle.provenAnswers.toLocaleString("en-US")} |`,
    `| unproven claims declared by the builder | ${bundle.unprovenClaims} |`,
    `| build (verification online + proofs) | ${bundle.buildSeconds.toFixed(1)} s |`,
    `| offline: opening (every header, block trie and state proof checked) | ${bundle.openSeconds.toFixed(1)} s |`,
    `| offline: opening + verifying every serial | ${bundle.offlineVerifySeconds.toFixed(1)} s |`,
    "",
    `${bundle.notes ? `${bundle.notes} ` : ""}Verdict ${bundle.verdict}; \`bundle.proofs\` ${bundle.proofsCheck}.` +
      (bundle.failingChecks.length > 0 ? ` Failing checks (of the benchmark's synthetic edition, not of the proofs): ${bundle.failingChecks.map((entry) => `\`${entry}\``).join(", ")}.` : "") +
      " The root's remaining bytes are hex encoding and the readable list of every serial's transfers.",
  ];
}

/** The provenance section of docs/benchmarks.md. */
export function provenanceSection(results: ProvenanceResults): string {
  const met = results.speedupP50.median >= 20 && results.api.p99Ms.median < 20;
  return [
    "## Provenance lookups",
    "",
    `Command: \`${results.command}\` (generated ${results.generatedAt}). Machine: ${results.versions.machine}. ` +
      `Node ${results.versions.node}, PGlite ${results.versions.pglite}, Anvil ${results.versions.anvil}.`,
    "",
    `Chain: Anvil on loopback, ${results.chain.blocks.toLocaleString("en-US")} blocks holding ` +
      `${results.chain.transferLogs.toLocaleString("en-US")} real Transfer logs, built in ${results.chain.buildSeconds.toFixed(0)} s: ` +
      `${results.index.tokens.toLocaleString("en-US")} tokens minted in batches of 500 to a relay contract ` +
      `(\`bench/chain/TransferRelay.sol\`) that moves each token ${results.chain.hops} times between itself and 64 holder ` +
      "contracts, 100 tokens per transaction (automine, explicit gas so nothing is executed twice for an estimate, " +
      "nonces assigned by the script so four transactions are in flight).",
    `Index: ${results.database}, built by the platform's indexer from a cold start in ${results.index.indexSeconds.toFixed(0)} s ` +
      `(log ranges of ${results.index.maxBlockRange} blocks), then checked against the chain (token and transfer counts; ` +
      "owner of 200 tokens against `ownerOf`); the server is then started on it. Before timing, 50 tokens are answered " +
      "both ways and must agree step by step and end with the owner the chain reports; every timed answer must have " +
      `${results.chain.hops + 1} steps.`,
    "",
    `Latency in ms, min / median / max over ${results.rounds} rounds:`,
    "",
    "| answer | samples per round | p50 ms | p99 ms |",
    "| --- | ---: | ---: | ---: |",
    `| API: \`GET /api/tokens/:address/:tokenId/provenance\` (HTTP on loopback) | ${results.api.samplesPerRound} | ${formatSpread(results.api.p50Ms, 2)} | ${formatSpread(results.api.p99Ms, 2)} |`,
    `| node: \`eth_getLogs\` by token id over every block + block timestamps | ${results.getLogs.samplesPerRound} | ${formatSpread(results.getLogs.p50Ms, 2)} | ${formatSpread(results.getLogs.p99Ms, 2)} |`,
    "",
    `The API answers ${formatSpread(results.speedupP50, 1)} × faster at p50 (eth_getLogs p50 / API p50 per round). ` +
      `Targets (≥ 20× faster, p99 < 20 ms): ${met ? "met" : "**not met**"} on the medians.`,
    "The node's figure is for an in-memory Anvil on loopback, which indexes logs by topic; a hosted node adds " +
      "network latency and caps log ranges, so it is a lower bound on what a user would otherwise wait.",
    "",
    ...(results.bundle ? bundleSection(results.bundle) : []),
  ].join("\n");
}
