/**
 * Rebuilds docs/benchmarks.md from the JSON each benchmark leaves in bench/results/, so running one
 * benchmark alone refreshes its section without losing the others'.
 */
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import type { GasResults, GasScenarioResult } from "./gas/gasResults.js";
import type { ProvenanceResults } from "./provenance/provenanceResults.js";

import type { IngestResults } from "./indexer/ingestResults.js";

import type { MintResults } from "./minting/mintResults.js";
import type { MintLatencyResults } from "./minting/mintLatencyResults.js";
import type { ApiLoadResults } from "./api/apiLoadResults.js";
import type { AbuseResults } from "./abuse/abuseResults.js";
import type { MediaScanResults } from "./media/mediaScanResults.js";

import { abuseSection } from "./abuse/abuseResults.js";
import { ISSUER_ACCOUNTS } from "./gas/gasResults.js";
import { issuerAccountsSection } from "./gas/issuerAccountsSection.js";
import { olderEvmSection } from "./gas/olderEvmSection.js";
import { previousRunSection } from "./gas/previousRunSection.js";
import { voucherCancellationSection } from "./gas/voucherCancellationSection.js";
import { apiLoadNotes, apiLoadSection } from "./api/apiLoadResults.js";
import { ingestSection } from "./indexer/ingestResults.js";
import { mediaScanSection } from "./media/mediaScanResults.js";
import { mintSection } from "./minting/mintResults.js";
import { mintLatencySection } from "./minting/mintLatencyResults.js";
import { provenanceSection } from "./provenance/provenanceResults.js";
import { formatSpread, type Spread } from "./support/stats.js";

const VERMILION = "Vermilion (EIP-1167 clone)";
const VERMILION_DIRECT = "Vermilion (direct)";
const OPENZEPPELIN = "OpenZeppelin ERC721";
const ERC721A = "ERC721A";

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function formatGas(gas: number | null | undefined): string {
  return gas === null || gas === undefined ? "—" : gas.toLocaleString("en-US");
}

function ratio(numerator: number | null | undefined, denominator: number | null | undefined): number | undefined {
  if (numerator == null || denominator == null || denominator === 0) return undefined;
  return numerator / denominator;
}

function formatRatio(value: number | undefined): string {
  return value === undefined ? "—" : `${value.toFixed(2)}×`;
}

function scenarioNamed(results: GasResults, name: string): GasScenarioResult {
  const scenario = results.scenarios.find((candidate) => candidate.scenario === name);
  if (!scenario) throw new Error(`gas results have no scenario "${name}"`);
  return scenario;
}

interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** The gas the collection must stay within beside its peers, judged on the clone the factory deploys and on the direct deployment. */
function checkTargets(results: GasResults, contract: string): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const mint100 = scenarioNamed(results, "mint 100 to one address").gasByContract;
  const mint100Ratio = ratio(mint100[contract], mint100[ERC721A]) ?? Infinity;
  checks.push({
    target: "mint 100 to one address: per token ≤ 1.15 × ERC721A",
    measured: formatRatio(mint100Ratio),
    met: mint100Ratio <= 1.15,
  });
  const firstRatios = ["#1", "#51", "#100"].map((position) => {
    const gas = scenarioNamed(results, `first transferFrom of ${position} of a 100-batch`).gasByContract;
    return { position, ratio: ratio(gas[contract], gas[OPENZEPPELIN]) ?? Infinity, gas: gas[contract] ?? 0 };
  });
  const worstFirst = Math.max(...firstRatios.map((entry) => entry.ratio));
  const spread = Math.max(...firstRatios.map((e) => e.gas)) - Math.min(...firstRatios.map((e) => e.gas));
  checks.push({
    target: "first transferFrom, any position: ≤ 1.45 × OpenZeppelin",
    measured: firstRatios.map((entry) => `${entry.position} ${formatRatio(entry.ratio)}`).join(", "),
    met: worstFirst <= 1.45,
  });
  checks.push({
    target: "first transferFrom: the same wherever the token sits",
    measured: `spread ${spread.toLocaleString("en-US")} gas`,
    met: spread === 0,
  });
  const secondRatios = ["#1", "#51", "#100"].map((position) => {
    const gas = scenarioNamed(results, `second transferFrom of ${position} of a 100-batch`).gasByContract;
    return { position, ratio: ratio(gas[contract], gas[OPENZEPPELIN]) ?? Infinity };
  });
  checks.push({
    target: "second transferFrom ≤ OpenZeppelin",
    measured: secondRatios.map((entry) => `${entry.position} ${formatRatio(entry.ratio)}`).join(", "),
    met: Math.max(...secondRatios.map((entry) => entry.ratio)) <= 1,
  });
  const mint1 = scenarioNamed(results, "mint 1 to one address").gasByContract;
  const mint1Ratio = ratio(mint1[contract], mint1[OPENZEPPELIN]) ?? Infinity;
  checks.push({
    target: "mint 1 ≤ 1.15 × OpenZeppelin `_mint`",
    measured: formatRatio(mint1Ratio),
    met: mint1Ratio <= 1.15,
  });
  return checks;
}

function gasSection(results: GasResults): string {
  const lines: string[] = [];
  lines.push("## Gas");
  lines.push("");
  lines.push(`Command: \`${results.command}\` (generated ${results.generatedAt}).`);
  lines.push(`Compiler: ${results.compiler}. Chain: ${results.chain}.`);
  lines.push(
    "Gas is deterministic for a given state, so each figure is one measurement (`gasUsed` of the receipt, " +
      "21,000 base and calldata included), every scenario starting from the same snapshot taken after " +
      "deployment (and, for Vermilion, after creating one free-transfer edition). Recipients are fresh " +
      "addresses; every scenario checks owners and balances before its figure is kept.",
  );
  lines.push("");
  lines.push("### Total gas per transaction");
  lines.push("");
  lines.push(`| scenario | ${results.contracts.join(" | ")} | clone / OZ | clone / ERC721A |`);
  lines.push(`| --- | ${results.contracts.map(() => "---:").join(" | ")} | ---: | ---: |`);
  for (const scenario of results.scenarios) {
    const gas = scenario.gasByContract;
    lines.push(
      `| ${scenario.scenario} | ${results.contracts.map((name) => formatGas(gas[name])).join(" | ")} | ` +
        `${formatRatio(ratio(gas[VERMILION], gas[OPENZEPPELIN]))} | ${formatRatio(ratio(gas[VERMILION], gas[ERC721A]))} |`,
    );
  }
  lines.push("");
  lines.push("### Gas per token (mints)");
  lines.push("");
  lines.push(`| scenario | ${results.contracts.join(" | ")} |`);
  lines.push(`| --- | ${results.contracts.map(() => "---:").join(" | ")} |`);
  for (const scenario of results.scenarios.filter((s) => s.tokens > 1)) {
    const perToken = results.contracts.map((name) => {
      const gas = scenario.gasByContract[name];
      return gas == null ? "—" : formatGas(Math.round(gas / scenario.tokens));
    });
    lines.push(`| ${scenario.scenario} | ${perToken.join(" | ")} |`);
  }
  for (const contract of [VERMILION, VERMILION_DIRECT, ISSUER_ACCOUNTS].filter((name) => results.contracts.includes(name))) {
    lines.push("");
    lines.push(`### Targets: ${contract}`);
    lines.push("");
    lines.push("| target | measured | met |");
    lines.push("| --- | --- | :---: |");
    for (const check of checkTargets(results, contract)) {
      lines.push(`| ${check.target} | ${check.measured} | ${check.met ? "yes" : "**no**"} |`);
    }
  }
  const accountsSection = issuerAccountsSection(results, (contract) => {
    const checks = checkTargets(results, contract);
    return { met: checks.filter((check) => check.met).length, of: checks.length };
  });
  if (accountsSection.length > 0) lines.push("", ...accountsSection);
  const cancellation = voucherCancellationSection(results);
  if (cancellation.length > 0) lines.push("", ...cancellation);
  lines.push("");
  lines.push("### Deploying an issuer's collection");
  lines.push("");
  lines.push("| how | gas |");
  lines.push("| --- | ---: |");
  for (const [how, gas] of Object.entries(results.deploymentGas)) lines.push(`| ${how} | ${formatGas(gas)} |`);
  const cloneGas = Object.entries(results.deploymentGas).find(([how]) => how.includes("clone"))?.[1];
  const fullGas = Object.entries(results.deploymentGas).find(([how]) => how.includes("own"))?.[1];
  const mint1 = scenarioNamed(results, "mint 1 to one address").gasByContract;
  const proxyGas = (mint1[VERMILION] ?? 0) - (mint1[VERMILION_DIRECT] ?? 0);
  if (cloneGas !== undefined && fullGas !== undefined && proxyGas > 0) {
    lines.push("");
    lines.push(
      `The clone saves ${formatGas(fullGas - cloneGas)} gas at deployment and costs ${formatGas(proxyGas)} gas per ` +
        `call (the proxy's \`DELEGATECALL\`), so it stays cheaper for the first ` +
        `${formatGas(Math.floor((fullGas - cloneGas) / proxyGas))} calls to that collection.`,
    );
  }
  const olderEvm = olderEvmSection(results);
  if (olderEvm.length > 0) lines.push("", ...olderEvm);
  const sincePrevious = previousRunSection(results);
  if (sincePrevious.length > 0) lines.push("", ...sincePrevious);
  lines.push("");
  lines.push(GAS_DESIGN_NOTES);
  return lines.join("\n");
}

const GAS_DESIGN_NOTES = `### Why the numbers are what they are

- **Lazy batch ownership with a bitmap of batch heads.** A batch mint writes one ownership record per
  256-id word it spans and sets the head's bit in a bitmap; a token's owner is its own record (written
  once it is minted alone, approved, transferred or burned) or else its batch's record, found with one
  bitmap read (the highest set bit at or below the token in its word). Batches are split at word
  boundaries, so the head is always in the token's own word: never a scan.
- **Batch records apart from token records.** Transferring a token writes only its own slot, zero to
  non-zero: OpenZeppelin's transfer plus 17,100 gas is the floor for any lazily minted token, and no
  neighbour is ever initialised (ERC721A initialises the next slot, hence its expensive first transfers).
- **One word per record**: owner, acquisition time, a "restricted" bit (the edition was not free at
  acquisition; policies only loosen, so free tokens never read their edition on transfer), a burned bit
  and an "approved" bit that lets transfers skip the approval slot for tokens never approved.
- **Single mints** write the token's own record directly (no bitmap word), which keeps \`mint 1\` close to
  OpenZeppelin's \`_mint\` despite the role check, the pause flag and the edition's counters.
- **The clone.** Every call to a clone pays the EIP-1167 proxy: a cold \`DELEGATECALL\` to the
  implementation (2,600 gas for the cold account plus the calldata copy). The "direct" column is the same
  code deployed on its own; the difference between the two columns is the proxy's price for cheap,
  verifiable per-issuer deployment.

### Targets not met, and the trade-off chosen

The deployed code meets every target (the "direct" table). Through the EIP-1167 clone, which gives every
issuer a collection of its own, two targets miss by the proxy's cost alone: \`mint 1\` (≈ 1.16 ×
OpenZeppelin's \`_mint\`) and the second transfer (≈ 1.05 × OpenZeppelin's). Each needs about 2,700 gas
that no layout can save: the pause flag is the one global word a transfer must read (OpenZeppelin pays
instead for clearing the approval slot, which the "approved" bit lets us skip), and minting already reads
role and pause in one word (a "primary issuer" cached beside the pause flag) and the edition's counters in
another. We kept the clone: it is what makes a per-issuer collection cheap to create and trivially
verifiable by code hash, and the break-even above shows how many calls it takes before a full contract
would have been cheaper. Compiler: both pipelines were measured; under viaIR our direct second transfer came out slightly above
OpenZeppelin's, under the legacy pipeline with 1,000,000 optimizer runs slightly below, so the build uses
the latter, with the same settings for all four contracts.`;

interface ContentResults {
  recordedAt: string;
  command: string;
  node: string;
  fileMegabytes: number;
  serialCount: number;
  repeats: number;
  rows: Array<{ name: string; milliseconds: Spread; megabytesPerSecond?: Spread; note?: string }>;
  cidThroughputVsSha256: Spread;
}

function contentSection(results: ContentResults): string {
  const ratio = results.cidThroughputVsSha256;
  const lines = [
    "## Content (IPFS)",
    "",
    `Command: \`${results.command}\` (recorded ${results.recordedAt}, Node ${results.node}); ` +
      `figures are min / median / max over ${results.repeats} runs unless the note gives another count.`,
    "",
    "| measure | ms | MB/s | note |",
    "| --- | ---: | ---: | --- |",
    ...results.rows.map(
      (row) => `| ${row.name} | ${formatSpread(row.milliseconds)} | ${formatSpread(row.megabytesPerSecond)} | ${row.note ?? ""} |`,
    ),
    "",
    `CID throughput relative to plain SHA-256 of the same bytes (SHA-256 and CID runs alternate; ratio per pair): ` +
      `${formatSpread({ ...ratio, min: ratio.min * 100, median: ratio.median * 100, max: ratio.max * 100 }, 0)} % ` +
      `(target ≥ 80 %: ${ratio.median >= 0.8 ? "met" : "**not met**"} on the median). ` +
      "`computeFileCid` hashes each 256 KiB leaf incrementally with node:crypto as the slices arrive (no leaf is " +
      "copied into a buffer of its own, no block is written) and builds the parents exactly as the importer's " +
      "balanced layout does; its CIDs are checked against the importer's before any figure is kept, and in " +
      "`server/storage/computeFileCid.test.ts` against Kubo's vectors.",
  ];
  return lines.join("\n");
}

/** Rewrites docs/benchmarks.md from every result file present and returns the text. */
export async function writeBenchmarksReport(root: string): Promise<string> {
  const sections: string[] = [];
  sections.push("# Benchmarks");
  sections.push("");
  sections.push(
    "Regenerated by `npm run bench`, which runs every benchmark in turn (`bench:gas`, `bench:content`, " +
      "`bench:provenance`, `bench:ingest`, `bench:mint`, `bench:api`, `bench:abuse`; each also runs alone and rewrites only its own " +
      "section, from the JSON in `bench/results/`). Machine of this regeneration: " +
      `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `${os.type()} ${os.release()}, Node ${process.version}; each section names the machine and versions it was measured with.`,
  );
  sections.push("");
  sections.push(
    "These machines have two cores shared with other work, so absolute times drift from run to run; each speed claim " +
      "is therefore a ratio against the peer measured in the same run, and figures are min / median / max over several " +
      "runs. Every benchmark checks its own results (counts, owners, CIDs) before it reports a number. Load runs go to " +
      "loopback only and are bounded in requests and time. A section whose command carries size variables " +
      "(e.g. `BENCH_TOKENS=20000`) was measured at reduced size; its plain command runs the full size.",
  );
  sections.push("");
  const gas = await readJson<GasResults>(path.join(root, "bench", "results", "gas.json"));
  if (gas) sections.push(gasSection(gas));
  const provenance = await readJson<ProvenanceResults>(path.join(root, "bench", "results", "provenance.json"));
  // A result file from before min/median/max were recorded is left out until its benchmark runs again.
  if (provenance?.speedupP50) sections.push("", provenanceSection(provenance));
  const ingest = await readJson<IngestResults>(path.join(root, "bench", "results", "ingest.json"));
  if (ingest) sections.push("", ingestSection(ingest));
  const ingestSmall = await readJson<IngestResults>(path.join(root, "bench", "results", "ingest-small.json"));
  if (ingestSmall) sections.push("", ingestSection(ingestSmall, "Indexer ingest, smaller chain"));
  const mint = await readJson<MintResults>(path.join(root, "bench", "results", "mint.json"));
  if (mint) sections.push("", mintSection(mint));
  const mintLatency = await readJson<MintLatencyResults>(path.join(root, "bench", "results", "mint-latency.json"));
  if (mintLatency) sections.push("", mintLatencySection(mintLatency));
  const apiLoad = await readJson<ApiLoadResults>(path.join(root, "bench", "results", "api.json"));
  // A result file from before the floor and Ponder were measured beside the routes is left out until its benchmark runs again.
  if (apiLoad?.ratios) sections.push("", apiLoadSection(apiLoad), apiLoadNotes());
  const apiStore = await readJson<ApiLoadResults>(path.join(root, "bench", "results", "api-store.json"));
  if (apiStore?.ratios) sections.push("", apiLoadSection(apiStore, "API load, every metadata document read from the IPFS store"));
  const abuse = await readJson<AbuseResults>(path.join(root, "bench", "results", "abuse.json"));
  if (abuse) sections.push("", abuseSection(abuse));
  const content = await readJson<ContentResults>(path.join(root, "bench", "results", "content.json"));
  if (content?.cidThroughputVsSha256) sections.push("", contentSection(content));
  const media = await readJson<MediaScanResults>(path.join(root, "bench", "results", "media.json"));
  if (media) sections.push("", mediaScanSection(media));
  const text = `${sections.join("\n")}\n`;
  await writeFile(path.join(root, "docs", "benchmarks.md"), text);
  return text;
}
