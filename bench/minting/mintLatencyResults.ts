import type { BenchVersions } from "../support/versions.js";
import type { ChainLatency } from "./measureMintLatency.js";

/** The latency goals of issue 21: what the sender may add to the chain's own inclusion time (p50). */
export const INSTANT_BUDGET_MS = 100;
/** On a chain that mines at intervals: one block. */
export const INTERVAL_BUDGET_BLOCKS = 1;

/** What the latency part of `npm run bench:mint` writes to bench/results/mint-latency.json. */
export interface MintLatencyResults {
  generatedAt: string;
  command: string;
  versions: BenchVersions;
  /** `uptime`'s load averages (1, 5, 15 min) before and after the run: the machine is shared. */
  loadBefore: number[];
  loadAfter: number[];
  chains: ChainLatency[];
}

const ms = (value: number) => value.toLocaleString("en-US");

function chainName(latency: ChainLatency): string {
  return latency.blockTimeSeconds === 0 ? "instant (automine)" : `${latency.blockTimeSeconds}-second blocks`;
}

function budgetMs(latency: ChainLatency): number {
  return latency.blockTimeSeconds === 0 ? INSTANT_BUDGET_MS : INTERVAL_BUDGET_BLOCKS * latency.blockTimeSeconds * 1000;
}

function budgetText(latency: ChainLatency): string {
  return latency.blockTimeSeconds === 0 ? `≤ ${INSTANT_BUDGET_MS} ms` : `≤ one block (${ms(latency.blockTimeSeconds * 1000)} ms)`;
}


/** The rows of one chain: floor, platform, overhead against the goal. */
function chainRows(latency: ChainLatency): string[] {
  const rows: string[] = [];
  for (const [mode, floor, job, token] of [
    ["one at a time", latency.floorSequential, latency.jobSequential, latency.tokenSequential],
    [`${latency.inFlight} in flight`, latency.floorInFlight, latency.jobInFlight, latency.tokenInFlight],
  ] as const) {
    const overhead = job.p50Ms - floor.p50Ms;
    const met = overhead <= budgetMs(latency) ? "yes" : "**no**";
    rows.push(
      `| ${chainName(latency)} | ${mode} | ${job.samples} | ${ms(floor.p50Ms)} / ${ms(floor.p95Ms)} | ${ms(job.p50Ms)} / ${ms(job.p95Ms)} | ` +
        `${ms(token.p50Ms)} / ${ms(token.p95Ms)} | ${ms(overhead)} | ${budgetText(latency)} | ${met} |`,
    );
  }
  return rows;
}

/** The latency subsection of the mint pipeline section of docs/benchmarks.md. */
export function mintLatencySection(results: MintLatencyResults): string {
  const v = results.versions;
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(", ");
  return [
    "### Single-mint latency against the chain's own inclusion time",
    "",
    `Command: \`${results.command}\` (generated ${results.generatedAt}). Machine: ${v.machine}, shared: load average ${load(results.loadBefore)} before the run, ${load(results.loadAfter)} after it. Node ${v.node}, PGlite ${v.pglite}, Anvil ${v.anvil}.`,
    "",
    "Each chain gets a fresh platform on its embedded defaults (PGlite, embedded IPFS): the embedded Anvil (automine), and an Anvil started with " +
      "`--block-time 2` reached through `RPC_URL` (with `CONFIRMATIONS=0`, as on the embedded chain). The **floor** is the chain's own " +
      "inclusion time for the same call, `mint(editionId, to, 1)` from the collection's issuing key: signed beforehand, sent with " +
      "`eth_sendRawTransaction`, its receipt polled every 2 ms; measured in the same run, before the platform's mints, while the platform " +
      "has nothing to send. The **platform** figure runs from `POST …/mint` to the job read back `completed` (polled every 10 ms); " +
      "**token** to the token's owner in `GET /api/tokens/…` (through the indexer, polled every 20 ms), checked against `ownerOf`. " +
      "\"In flight\" runs that many clients at once (the floor sends that many transactions at once). On the 2-second chain every " +
      "sample, floor and platform alike, starts at a random moment of the block interval.",
    "",
    "| chain | mints | samples | floor p50 / p95 (ms) | POST → job completed p50 / p95 (ms) | POST → token in the API p50 / p95 (ms) | sender overhead p50 (ms) | goal | met |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | :---: |",
    ...results.chains.flatMap(chainRows),
    "",
    "The overhead is the platform's p50 less the floor's p50 measured in the same run. On the 2-second chain each sample waits for the " +
      "next block from a random moment of the interval, and there are 15–16 of them: the floor's and the platform's p50s can differ by up " +
      "to a block by that chance alone (an overhead below 0, or a floor that happened to start just before blocks), so there the overhead " +
      "says only that the platform stays within the one-block goal, not by how much.",
    "",
    ...latencyNotes(results),
  ].join("\n");
}

/** Where the time goes and where a goal is missed: from a profile of this code (its figures are not in the JSON). */
function latencyNotes(results: MintLatencyResults): string[] {
  const missed = results.chains.flatMap((latency) =>
    [
      ["one at a time", latency.jobSequential.p50Ms - latency.floorSequential.p50Ms],
      [`${latency.inFlight} in flight`, latency.jobInFlight.p50Ms - latency.floorInFlight.p50Ms],
    ]
      .filter(([, overhead]) => (overhead as number) > budgetMs(latency))
      .map(([mode]) => `${chainName(latency)}, ${mode}`),
  );
  return [
    "**Where the time goes** (instant chain, one mint at a time; temporary timers around each step, on this machine at a load average of 10–14, " +
      "p50 per step): the API's acceptance of the job (`POST`: the key and collection lookups, the issuing-role read on chain, supply " +
      "admission in one transaction with the chain's minted count) 16–25 ms; the sender's send step 30–47 ms (gas estimate and fee quote, " +
      "the balance read of the issuer's key, the nonce, signing 2–4 ms, storing the signed bytes 2–3 ms, the broadcast 3–8 ms, which on " +
      "automine includes mining the block); finding the receipt 5–9 ms; settling 3 ms; and the client's next look at the job (every 10 ms) " +
      `5–10 ms. The chain's own part is the floor's ${ms(results.chains[0]!.floorSequential.p50Ms)} ms in this run. Every step is a round trip to the node or a PGlite query on the process's ` +
      "one thread; none is large alone, and on two cores shared by five sessions each takes several times its CPU time.",
    "",
    "**Fixed in this round** (issue 21): (1) a lost wake-up: a job accepted while the sender was looking for work (after its query, before " +
      "its idle wait) waited out the whole idle poll, 1 s; in the profile of 4 mints in flight most of the sender's idle waits ran their " +
      "full second (4 in flight p50 720 ms before the fixes, on a load like this run's). A wake is now remembered until the sender looks again. (2) The sender waited for each chunk's receipt before it " +
      "sent the next job's chunk, so on a chain with blocks every mint ahead of one cost it a block; it now keeps up to 8 chunks of " +
      "different jobs in flight (one per job, so a job's own chunks still mine in order), settling each in the background. (3) The gas " +
      "estimate and the fee quote go out together, and so do the nonce's two reads (the node's count and the stored one). (4) " +
      "`chain_transactions` had no index by chunk, though every step of the sender and the supply check looks a chunk's attempts up by it: " +
      "each look read a table that grows by a row per transaction ever sent (migration 0026).",
    "",
    missed.length === 0
      ? "**Every goal is met in this run.**"
      : `**Missed: ${missed.join("; ")}.** Signing and sending stay one after another per key: a nonce is chosen, signed, stored and ` +
        "broadcast under the key's write lock, in nonce order, so the send step (30–90 ms at this load) is serial, and of 4 mints posted " +
        "at once the last waits for three sends before its own; the 4 acceptances also share PGlite's one connection, which supply " +
        "admission holds for a transaction that reads the chain. On 2-second blocks that serial part fits inside the block interval, " +
        "which is why the goal holds there with mints in flight. Closing the gap on an instant chain needs the send step off that serial " +
        "path (estimate and fund a chunk before its turn for the nonce) or fewer round trips in it (a fee quote per block, not per chunk).",
    "",
    "**The pipeline part's single mints** (8 in flight, right after a 10,000-token airdrop, on a platform that grows over the rounds) " +
      "stay far slower than these: an A/B at reduced size on this machine at a load average of 11–12 (`BENCH_MINT_PART=pipeline " +
      "BENCH_AIRDROP=2000 BENCH_SINGLE_MINTS=100 BENCH_CLAIMS=200 BENCH_ROUNDS=1`, run once each, 2026-12-05T15:42Z–15:46Z) gave single-mint " +
      "p50 1,976 ms before this round's changes and 1,738 ms after (claims, scan to owned p50: 16,315 → 5,294 ms; the airdrop 5.3 → 1.3 s), " +
      "and three rounds after them 3,593 → 1,095 → 978 ms: no growth across rounds at that size, and figures the machine's load swamps. " +
      "What those mints share their time with (the indexer ingesting the airdrop, the claim dispatcher, 8 clients polling every 20 ms, " +
      "all on PGlite's one connection in the same thread) has not been profiled; the full-size part was not re-run for this section.",
    "",
    "**Token in the API** trails the job by about a second on either chain: the indexer looks for new blocks once a second (its poll " +
      "interval), and the token view follows the index. It is reported beside the goal, not judged by it.",
    "",
  ];
}
