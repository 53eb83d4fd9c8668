import type { Database } from "../../server/db/Database.js";
import type { TransferChain } from "../chain/buildTransferChain.js";

import { createPublicClient, http } from "viem";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { createIndexer } from "../../server/indexer/createIndexer.js";

/** Widest log range the benchmarks let the indexer ask for: ~7,200 logs (≈ 7.5 MB of JSON, under viem's 10 MiB answer limit) of the transfer chain per call. */
export const BENCH_MAX_BLOCK_RANGE = Number(process.env.BENCH_MAX_BLOCK_RANGE ?? 8);

/** Indexes `chain` from the factory's block to its head into `db` (migrated, empty) and returns the seconds taken. */
export async function indexTransferChain(db: Database, chain: TransferChain): Promise<number> {
  const indexer = createIndexer({
    db,
    publicClient: createPublicClient({ transport: http(chain.anvil.rpcUrl, { retryCount: 0, timeout: 120_000 }) }),
    factoryAddress: chain.chain.factoryAddress,
    fromBlock: chain.chain.factoryBlock,
    maxBlockRange: BENCH_MAX_BLOCK_RANGE,
    pollIntervalMs: 20,
    // Failures are retried by the indexer; print them so a stuck benchmark says why.
    logger: { info: (details, message) => process.env.BENCH_VERBOSE && console.log(message, details), warn: (details, message) => console.warn(message, details), error: (details, message) => console.error(message, details) },
  });
  const started = performance.now();
  await indexer.start();
  await indexer.waitUntilSynced(chain.headBlock, 3_600_000);
  const seconds = (performance.now() - started) / 1000;
  await indexer.stop();
  return seconds;
}

/**
 * Checks the index against the chain before any figure is reported: token and transfer counts, and for
 * `samples` tokens spread over the collection, the indexed owner equals `ownerOf` on the chain and the
 * owner the relay put it with.
 */
export async function checkTransferIndex(db: Database, chain: TransferChain, samples = 200): Promise<void> {
  const collection = chain.collection.toLowerCase();
  const { rows } = await db.query<{ tokens: bigint; transfers: bigint }>(
    `SELECT (SELECT count(*) FROM indexer_tokens WHERE collection = $1)::int8 AS tokens,
       (SELECT count(*) FROM indexer_transfers WHERE collection = $1)::int8 AS transfers`,
    [collection],
  );
  const counts = rows[0];
  if (counts?.tokens !== BigInt(chain.tokenIds.length) || counts.transfers !== BigInt(chain.transferLogs)) {
    throw new Error(`index holds ${counts?.tokens} tokens and ${counts?.transfers} transfers; the chain ${chain.tokenIds.length} and ${chain.transferLogs}`);
  }
  for (let sample = 0; sample < samples; sample++) {
    const tokenId = chain.tokenIds[Math.floor((sample * chain.tokenIds.length) / samples)]!;
    const onChain = await chain.chain.publicClient.readContract({ address: chain.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [tokenId] });
    const expected = await chain.expectedOwner(tokenId);
    const indexed = await db.query<{ owner: string }>("SELECT owner FROM indexer_tokens WHERE collection = $1 AND token_id = $2", [collection, tokenId]);
    if (onChain.toLowerCase() !== expected.toLowerCase() || indexed.rows[0]?.owner !== onChain.toLowerCase()) {
      throw new Error(`token ${tokenId}: chain says ${onChain}, relay ${expected}, index ${indexed.rows[0]?.owner}`);
    }
  }
}
