/** Latency percentiles of one way of answering, in milliseconds. */
export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

/** What `npm run bench:provenance` writes to bench/results/provenance.json. */
export interface ProvenanceResults {
  generatedAt: string;
  command: string;
  database: string;
  index: { tokens: number; transfers: number; buildSeconds: number };
  chain: { node: string; blocks: number; transferLogs: number; buildSeconds: number };
  /** The index: getTokenProvenance and getOwnerTokens, as the API calls them. */
  indexProvenance: LatencySummary;
  indexOwnerTokens: LatencySummary;
  /** The same provenance question answered from the node: eth_getLogs by token id over all blocks, plus each block's timestamp. */
  getLogsProvenance: LatencySummary;
}

function row(label: string, summary: LatencySummary): string {
  return `| ${label} | ${summary.samples} | ${summary.p50Ms.toFixed(2)} | ${summary.p99Ms.toFixed(2)} | ${summary.meanMs.toFixed(2)} |`;
}

/** The provenance section of docs/benchmarks.md. */
export function provenanceSection(results: ProvenanceResults): string {
  return [
    "## Provenance lookups",
    "",
    `Command: \`${results.command}\` (generated ${results.generatedAt}).`,
    `Index: ${results.database}, ${results.index.tokens.toLocaleString("en-US")} tokens and ` +
      `${results.index.transfers.toLocaleString("en-US")} transfers (synthetic rows written by SQL in ${results.index.buildSeconds.toFixed(0)} s, ` +
      "same schema and indexes as the indexer's). " +
      `Chain: ${results.chain.node}, ${results.chain.blocks.toLocaleString("en-US")} blocks holding ` +
      `${results.chain.transferLogs.toLocaleString("en-US")} Transfer logs (minted and moved for real in ${results.chain.buildSeconds.toFixed(0)} s).`,
    "",
    "| answer | samples | p50 ms | p99 ms | mean ms |",
    "| --- | ---: | ---: | ---: | ---: |",
    row("index: a token's full provenance (`getTokenProvenance`)", results.indexProvenance),
    row("index: an owner's first 50 tokens (`getOwnerTokens`)", results.indexOwnerTokens),
    row("node: `eth_getLogs` by token id over every block + block timestamps", results.getLogsProvenance),
    "",
    "The node's figure is for a chain far smaller than the index and an in-memory Anvil on loopback; a " +
      "hosted node scanning a real chain caps the range and adds network latency, so it is a lower bound.",
    "",
  ].join("\n");
}
