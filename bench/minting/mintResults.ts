import type { BenchVersions } from "../support/versions.js";
import type { Spread } from "../support/stats.js";

import { formatSpread } from "../support/stats.js";

/** What `npm run bench:mint` writes to bench/results/mint.json. */
export interface MintResults {
  generatedAt: string;
  command: string;
  versions: BenchVersions;
  airdropRecipients: number;
  singleMints: number;
  concurrency: number;
  rounds: number;
  /** Upload of the media and the metadata directory to IPFS, and the on-chain edition. */
  editionSeconds: Spread;
  /** From submitting the airdrop job to its completion (every receipt in). */
  airdropSeconds: Spread;
  endToEndTokensPerSecond: Spread;
  airdropTokensPerSecond: Spread;
  /** Distinct `progress.done` values seen while polling the job. */
  progressValuesSeen: Spread;
  singleMintP50Ms: Spread;
  singleMintP95Ms: Spread;
  /** The claim path (absent from results written before it was measured). */
  claims?: {
    codes: number;
    /** Visitors claiming at once. */
    concurrency: number;
    claimsPerSecond: Spread;
    /** From the hold (the claim page's first API call) to the token's owner in the index. */
    scanToOwnedP50Ms: Spread;
    scanToOwnedP95Ms: Spread;
    /** Distinct airdrop transactions the claims were minted in. */
    transactions: Spread;
  };
}

/** The mint pipeline section of docs/benchmarks.md. */
export function mintSection(results: MintResults): string {
  const v = results.versions;
  return [
    "## Mint pipeline",
    "",
    `Command: \`${results.command}\` (generated ${results.generatedAt}). Machine: ${v.machine}. Node ${v.node}, PGlite ${v.pglite}, Anvil ${v.anvil}.`,
    "",
    "Through the HTTP API of a running platform on its embedded defaults (Anvil with automine, PGlite, embedded IPFS), " +
      "rate limits raised for the run. Each round: an edition of " +
      `${results.airdropRecipients.toLocaleString("en-US")} serials created by upload (64×64 PNG and one metadata document per serial to IPFS, ` +
      `then the on-chain edition), a ${results.airdropRecipients.toLocaleString("en-US")}-recipient airdrop job polled every 20 ms until completed, ` +
      `then ${results.singleMints} single mints (\`{ to, quantity: 1 }\`) with ${results.concurrency} in flight, each timed from the POST to its ` +
      "job's completion (receipt included). Checked before any figure: jobs complete with every token id, the chain's minted count, " +
      "owners of 50 airdropped tokens and of every single mint against `ownerOf`, metadata of three serials served by `/ipfs/<metadataCid>/<serial>.json`.",
    "",
    `Min / median / max over ${results.rounds} rounds:`,
    "",
    "| measure | value |",
    "| --- | ---: |",
    `| edition with ${results.airdropRecipients.toLocaleString("en-US")} serials: upload, IPFS, on-chain (s) | ${formatSpread(results.editionSeconds, 1)} |`,
    `| airdrop job to completion (s) | ${formatSpread(results.airdropSeconds, 1)} |`,
    `| tokens/s end to end (edition + airdrop) | ${formatSpread(results.endToEndTokensPerSecond, 0)} |`,
    `| tokens/s of the airdrop job alone | ${formatSpread(results.airdropTokensPerSecond, 0)} |`,
    `| distinct progress values seen while polling | ${formatSpread(results.progressValuesSeen, 0)} |`,
    `| single mint, POST to completed job, p50 (ms) | ${formatSpread(results.singleMintP50Ms, 0)} |`,
    `| single mint, POST to completed job, p95 (ms) | ${formatSpread(results.singleMintP95Ms, 0)} |`,
    ...(results.claims
      ? [
          `| claim codes: ${results.claims.codes.toLocaleString("en-US")} claims, ${results.claims.concurrency} visitors at a time, claims/s end to end | ${formatSpread(results.claims.claimsPerSecond, 0)} |`,
          `| claim, scan (hold) to token owned in the index, p50 (ms) | ${formatSpread(results.claims.scanToOwnedP50Ms, 0)} |`,
          `| claim, scan (hold) to token owned in the index, p95 (ms) | ${formatSpread(results.claims.scanToOwnedP95Ms, 0)} |`,
          `| claim, airdrop transactions for all claims | ${formatSpread(results.claims.transactions, 0)} |`,
        ]
      : []),
    "",
    ...(results.claims
      ? [
          "The claim path does what the claim page does per visitor: `POST /api/claims/:code/hold`, `POST /api/claims/:code` with the hold token, " +
            "then polls the claim until minted and the token until its indexed owner is the visitor (every 100 ms). The claim dispatcher gathers " +
            "claims for a second before creating an airdrop job, which sets a floor under the latency and keeps the transactions few. " +
            "Checked: distinct token ids, every claimed token's owner against `ownerOf`, the chain's minted count.",
          "",
        ]
      : []),
    "There is no peer figure here: no off-the-shelf service runs this pipeline (upload, IPFS, edition, durable jobs) to compare against.",
    "",
    "Two defects this benchmark found are fixed: Anvil under load shows a used nonce before it serves the receipt, " +
      "so the sender took its own mined transaction for a foreign one and sent the chunk again (the airdrop then failed " +
      "with `EDITION_SEALED`); and supply admission counted the chunk the sender was waiting on twice, refusing the last " +
      "free tokens of an edition. Both have regression tests in `server/minting/createMintSender.test.ts`.",
    "",
    "Each round runs on the same platform, so later rounds find a larger chain and database. In the run of 2026-11-29 " +
      "single-mint p50 grew 508 → 974 → 2,336 ms over the three rounds. Profiling found three causes, all fixed since: the " +
      "sender waited a fixed 250 ms before each look for a receipt, which a node that mines in milliseconds but a little " +
      "later each round turned into whole extra polls (it now looks after 10 ms, doubling up to the client's polling interval); " +
      "PGlite, a single-user backend without autovacuum, kept the planner statistics of empty tables, so the indexer looked " +
      "each token up by reading its whole collection (PGlite now runs ANALYZE/VACUUM passes itself, `server/db/maintainPglite.ts`); " +
      "and the rate limiter wrote a counter row into PGlite per request, the largest single user of its time during the " +
      "single mints (now counted in memory where only one process serves the database). The third round is still the " +
      "slowest (the max of the single-mint rows above); that remaining growth has not been profiled yet.",
    "",
    "Issue 18 (issuer accounts) slowed this pipeline. In its first run (2026-12-05), against the run of 2026-12-04 on the same " +
      "machine, the single-mint p50 median went from 594 to 887 ms (1.49×) and the airdrop from 1,837 to 1,190 tokens/s (0.65×). " +
      "The mints go out from the issuer's operating key, not the platform's, which adds to each mint: a `hasRole` read and two key " +
      "lookups when it is accepted; a balance read before each chunk is signed; the key's top-ups by the funding key (each a " +
      "transaction whose receipt is awaited under the platform's write lock; an airdrop's chunks need several); and the sender " +
      "pool's once-a-second look for keys with open jobs, which shares PGlite with everything else. Which of these costs most has " +
      "not been profiled. The benchmarks raise the issuer's gas budget with the rate limits (`bench/support/raisedRateLimits.ts`): " +
      "a first run hit the default (1 ETH a day) in its second round, and its jobs waited visibly with `ISSUER_GAS_BUDGET_EXCEEDED`, as designed.",
    "",
    "Issue 19 added the claim path to each round, after the single mints, so every later round finds 1,000 more tokens, claim " +
      "codes and jobs besides the 10,000-token airdrop. In the run of 2026-12-05T11:01Z the single-mint p50 grew 732 → 1,164 → " +
      "1,562 ms over the three rounds: the round-over-round growth above, not yet profiled. To see whether issue 19's code slowed " +
      "the mint path itself, the single mints alone were run A/B on the same quiet machine, the commit before issue 19 (597e076) " +
      "and after it, interleaved twice (`BENCH_AIRDROP=1000 BENCH_SINGLE_MINTS=200 BENCH_CLAIMS=0 BENCH_ROUNDS=2`): p50 per " +
      "round 447, 448, 509, 456 ms before and 529, 480, 413, 350 ms after. No slowdown shows above that noise; supply admission " +
      "does one more query (the edition's reserved claim codes).",
    "",
  ].join("\n");
}
