/**
 * Provenance lookup benchmark: the index answering "whose hands has this token passed through?" on
 * 100,000 tokens and 1,000,000 transfers, beside the same question answered from the node with
 * `eth_getLogs` (by token id, over every block) plus the blocks' timestamps, in the same run.
 *
 * The index is filled by SQL (the indexer would take far longer to write a million rows than this
 * benchmark should); the chain is minted and transferred for real on Anvil.
 *
 * Run: npm run bench:provenance
 */
import type { Address } from "viem";
import type { LatencySummary, ProvenanceResults } from "./provenanceResults.js";

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, getAbiItem, http } from "viem";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { migrate } from "../../server/db/migrate.js";
import { openPglite } from "../../server/db/openPglite.js";
import { getOwnerTokens } from "../../server/provenance/getOwnerTokens.js";
import { getTokenProvenance } from "../../server/provenance/getTokenProvenance.js";
import { deployVermilion } from "../../test/support/deployVermilion.js";
import { startAnvil } from "../../test/support/startAnvil.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const EDITIONS = 100;
const SERIALS = 1_000;
const TRANSFERS_PER_TOKEN = 10;
const OWNERS = 5_000;
const CHAIN_TOKENS = 100_000;
const MINT_BATCH = 500;
const CHAIN_MOVED_TOKENS = 100;
const CHAIN_MOVES_PER_TOKEN = 4;
const SAMPLES = 1_000;
const CHAIN_ID = 31337n;
const COLLECTION = "0x00000000000000000000000000000000000c0113";

function summarize(durationsMs: number[]): LatencySummary {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  return {
    samples: sorted.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
  };
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function randomTokenId(): bigint {
  const editionId = 1 + Math.floor(Math.random() * EDITIONS);
  const serial = 1 + Math.floor(Math.random() * SERIALS);
  return BigInt(editionId) * 1_000_000n + BigInt(serial);
}

// 1. The index, written by SQL with the indexer's schema.
const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-bench-"));
const db = await openPglite({ dataDir });
await migrate(db);
const indexStarted = performance.now();
const owner = (expression: string) => `'0x' || lpad(to_hex((${expression}) % ${OWNERS} + 1), 40, '0')`;
await db.exec(`
  INSERT INTO indexer_checkpoints (chain_id, factory_address, block_number, block_hash, block_timestamp, finalized_block, reorg_window)
    VALUES (${CHAIN_ID}, '0xfac', 20000000, '0x${"11".repeat(32)}', 1800000000, 19999936, 64);
  INSERT INTO indexer_collections (chain_id, address, factory_address, name, symbol, admin, issuer, salt, created_block_number, created_tx_hash)
    VALUES (${CHAIN_ID}, '${COLLECTION}', '0xfac', 'Bench', 'BEN', '0xad', '0x15', '0x00', 1, '0x00');
  INSERT INTO indexer_editions (chain_id, collection, edition_id, max_supply, minted_count, sealed, metadata_cid, media_cid,
      content_sha256, royalty_receiver, royalty_bps, transfer_policy, hold_seconds, created_block_number, created_tx_hash)
    SELECT ${CHAIN_ID}, '${COLLECTION}', e, ${SERIALS}, ${SERIALS}, true, 'bafymetadata' || e, 'bafymedia' || e, '0xab', '0x15', 500, 'Free', 0, e, '0x00'
    FROM generate_series(1, ${EDITIONS}) e;
  INSERT INTO indexer_tokens (chain_id, collection, token_id, edition_id, serial, owner, restricted, acquired_at, mint_kind,
      minted_block_number, minted_tx_hash)
    SELECT ${CHAIN_ID}, '${COLLECTION}', e * 1000000 + s, e, s, ${owner(`(e * 1000000 + s) * 7 + ${TRANSFERS_PER_TOKEN - 1}`)}, false,
      1700000000, 'issuer', e * 100 + s, '0x' || md5('mint' || e || ':' || s) || md5(e || ':' || s)
    FROM generate_series(1, ${EDITIONS}) e, generate_series(1, ${SERIALS}) s;
  INSERT INTO indexer_transfers (chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp, collection,
      token_id, from_address, to_address, kind, mint_kind)
    SELECT ${CHAIN_ID}, '0x' || md5(t.token_id || ':' || k) || md5(k || ':' || t.token_id), 0, 0,
      k * 1000000 + t.token_id % 1000000 + t.edition_id * 1000, '0x' || md5('block' || k || ':' || t.token_id) || md5(t.token_id || 'b'),
      1700000000 + k * 86400, t.collection, t.token_id,
      CASE WHEN k = 0 THEN '0x0000000000000000000000000000000000000000' ELSE ${owner(`t.token_id * 7 + k - 1`)} END,
      ${owner(`t.token_id * 7 + k`)}, CASE WHEN k = 0 THEN 'mint' ELSE 'transfer' END, CASE WHEN k = 0 THEN 'issuer' END
    FROM indexer_tokens t, generate_series(0, ${TRANSFERS_PER_TOKEN - 1}) k;
  ANALYZE;
`);
const indexBuildSeconds = (performance.now() - indexStarted) / 1000;
const counts = (await db.query<{ tokens: bigint; transfers: bigint }>(
  "SELECT (SELECT count(*) FROM indexer_tokens)::int8 AS tokens, (SELECT count(*) FROM indexer_transfers)::int8 AS transfers",
)).rows[0];
console.log(`index: ${counts?.tokens} tokens, ${counts?.transfers} transfers in ${indexBuildSeconds.toFixed(1)} s`);

const deps = { db, chainId: CHAIN_ID };
for (let warm = 0; warm < 50; warm++) await getTokenProvenance(deps, { collection: COLLECTION, tokenId: randomTokenId() });
const indexProvenance: number[] = [];
for (let sample = 0; sample < SAMPLES; sample++) {
  const tokenId = randomTokenId();
  indexProvenance.push(
    await time(async () => {
      const { history } = await getTokenProvenance(deps, { collection: COLLECTION, tokenId });
      if (history.length !== TRANSFERS_PER_TOKEN) throw new Error(`token ${tokenId}: ${history.length} entries`);
    }),
  );
}
const indexOwnerTokens: number[] = [];
for (let sample = 0; sample < SAMPLES; sample++) {
  const ownerAddress = `0x${(1 + Math.floor(Math.random() * OWNERS)).toString(16).padStart(40, "0")}`;
  indexOwnerTokens.push(await time(() => getOwnerTokens(deps, { owner: ownerAddress, limit: 50 })));
}
await db.close();
await rm(dataDir, { recursive: true, force: true });

// 2. The chain: mints in batches, then a few tokens moved several times.
const anvil = await startAnvil({ args: ["--gas-limit", "60000000"] });
try {
  const chainStarted = performance.now();
  const chain = await deployVermilion(anvil.rpcUrl);
  const [, , alice, bob] = chain.accounts as [Address, Address, Address, Address];
  const collection = await chain.createCollection("Bench");
  const editionId = await chain.createEdition(collection, { maxSupply: 999_999 });
  for (let minted = 0; minted < CHAIN_TOKENS; minted += MINT_BATCH) {
    await chain.mint(collection, editionId, alice, MINT_BATCH);
  }
  const moved: bigint[] = [];
  for (let index = 0; index < CHAIN_MOVED_TOKENS; index++) {
    const tokenId = editionId * 1_000_000n + 1n + BigInt(Math.floor((index * CHAIN_TOKENS) / CHAIN_MOVED_TOKENS));
    moved.push(tokenId);
    for (let move = 0; move < CHAIN_MOVES_PER_TOKEN; move++) {
      const [from, to] = move % 2 === 0 ? [alice, bob] : [bob, alice];
      await chain.transfer(collection, from, to, tokenId);
    }
  }
  const blocks = Number(await chain.publicClient.getBlockNumber());
  const chainBuildSeconds = (performance.now() - chainStarted) / 1000;
  console.log(`chain: ${blocks} blocks in ${chainBuildSeconds.toFixed(1)} s`);

  const client = createPublicClient({ transport: http(anvil.rpcUrl) });
  const transferEvent = getAbiItem({ abi: vermilionCollectionAbi, name: "Transfer" });
  const getLogsProvenance: number[] = [];
  for (let sample = 0; sample < 200; sample++) {
    const tokenId = moved[sample % moved.length] as bigint;
    getLogsProvenance.push(
      await time(async () => {
        const logs = await client.getLogs({ address: collection, event: transferEvent, args: { tokenId }, fromBlock: 0n, toBlock: "latest" });
        const blockNumbers = [...new Set(logs.map((log) => log.blockNumber))];
        await Promise.all(blockNumbers.map((blockNumber) => client.getBlock({ blockNumber })));
        if (logs.length !== CHAIN_MOVES_PER_TOKEN + 1) throw new Error(`token ${tokenId}: ${logs.length} logs`);
      }),
    );
  }

  const results: ProvenanceResults = {
    generatedAt: new Date().toISOString(),
    command: "npm run bench:provenance",
    database: "PGlite 0.5.16 (embedded, on disk)",
    index: { tokens: Number(counts?.tokens), transfers: Number(counts?.transfers), buildSeconds: indexBuildSeconds },
    chain: {
      node: "Anvil 1.7.1 on loopback",
      blocks,
      transferLogs: CHAIN_TOKENS + CHAIN_MOVED_TOKENS * CHAIN_MOVES_PER_TOKEN,
      buildSeconds: chainBuildSeconds,
    },
    indexProvenance: summarize(indexProvenance),
    indexOwnerTokens: summarize(indexOwnerTokens),
    getLogsProvenance: summarize(getLogsProvenance),
  };
  await writeFile(path.join(root, "bench", "results", "provenance.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log(await writeBenchmarksReport(root));
} finally {
  await anvil.stop();
}
