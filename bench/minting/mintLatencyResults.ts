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
    "The overhead is the platform's p50 less the floor's p50 measured in the same run.",
    "",
  ].join("\n");
}
