import type { Address } from "viem";
import type { IndexerStatus } from "../../server/indexer/createIndexer.js";
import type { RpcFault } from "../support/startFaultyRpcProxy.js";

import { createPublicClient, http } from "viem";
import { afterAll, expect, test } from "vitest";

import { createIndexer } from "../../server/indexer/createIndexer.js";
import { deployVermilion } from "../support/deployVermilion.js";
import { dumpIndex } from "../support/dumpIndex.js";
import { openTestDatabase } from "../support/openTestDatabase.js";
import { resetIndex } from "../support/resetIndex.js";
import { startAnvil } from "../support/startAnvil.js";
import { startFaultyRpcProxy } from "../support/startFaultyRpcProxy.js";

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const faultCycle: RpcFault[] = ["http500", "http429", "garbled", "slow"];

test("500s, 429s, garbled JSON, slow answers and refused ranges are retried with no gaps; status reports them", async () => {
  const anvil = await startAnvil();
  cleanups.push(() => anvil.stop());
  const database = await openTestDatabase();
  cleanups.push(() => database.dispose());
  const chain = await deployVermilion(anvil.rpcUrl);
  const [, , alice, bob] = chain.accounts as [Address, Address, Address, Address];
  const collection = await chain.createCollection("Faults");
  const editionId = await chain.createEdition(collection);
  for (let index = 0; index < 12; index++) await chain.mint(collection, editionId, index % 2 ? alice : bob, 3);

  // Every third request fails one way or another; ranges wider than 5 blocks are refused.
  const proxy = await startFaultyRpcProxy({
    targetUrl: anvil.rpcUrl,
    faultFor: (index) => (index % 3 === 1 ? (faultCycle[Math.floor(index / 3) % faultCycle.length] ?? null) : null),
    slowMs: 300,
    maxLogRangeBlocks: 5,
  });
  cleanups.push(() => proxy.stop());
  const indexer = createIndexer({
    db: database.db,
    publicClient: createPublicClient({ transport: http(proxy.url, { retryCount: 0, timeout: 150 }) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    maxBlockRange: 64,
    pollIntervalMs: 20,
    retryDelayMs: 5,
    maxRetryDelayMs: 40,
  });
  const seen: IndexerStatus[] = [];
  const sampler = setInterval(() => seen.push(indexer.status()), 5);
  cleanups.push(async () => clearInterval(sampler));
  await indexer.start();
  await indexer.waitUntilSynced(await chain.publicClient.getBlockNumber(), 60_000);

  // Following the head through the same faults, and through an outage long enough to fail whole steps.
  proxy.down = true;
  for (let index = 0; index < 4; index++) await chain.transfer(collection, alice, bob, 1_000_004n + BigInt(index * 6));
  while (indexer.status().consecutiveFailures < 2) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(indexer.status()).toMatchObject({ lastError: { code: "CHAIN_UNAVAILABLE", retryable: true } });
  proxy.down = false;
  await indexer.waitUntilSynced(await chain.publicClient.getBlockNumber(), 60_000);
  await indexer.stop();
  clearInterval(sampler);

  expect(proxy.counts.http500).toBeGreaterThan(0);
  expect(proxy.counts.http429).toBeGreaterThan(0);
  expect(proxy.counts.garbled).toBeGreaterThan(0);
  expect(proxy.counts.slow).toBeGreaterThan(0);
  expect(proxy.counts.rangeRefused).toBeGreaterThan(0);
  expect(indexer.status().rpcCallsRetried).toBeGreaterThan(0);
  expect(seen.some((status) => (status.lagBlocks ?? 0n) > 0n)).toBe(true);
  expect(indexer.status()).toMatchObject({ lagBlocks: 0n, lastError: null, consecutiveFailures: 0 });
  expect(seen.some((status) => status.blockRange <= 5)).toBe(true);

  const throughFaults = await dumpIndex(database.db);
  expect(throughFaults.indexer_transfers).toHaveLength(12 * 3 + 4);
  await resetIndex(database.db);
  const clean = createIndexer({
    db: database.db,
    publicClient: createPublicClient({ transport: http(anvil.rpcUrl) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    pollIntervalMs: 20,
  });
  await clean.start();
  await clean.waitUntilSynced(await chain.publicClient.getBlockNumber());
  await clean.stop();
  expect(throughFaults).toEqual(await dumpIndex(database.db));
}, 120_000);

test("a node that refuses even one-block log ranges halts indexing with RPC_RANGE_REFUSED", async () => {
  const anvil = await startAnvil();
  cleanups.push(() => anvil.stop());
  const database = await openTestDatabase();
  cleanups.push(() => database.dispose());
  const chain = await deployVermilion(anvil.rpcUrl);
  const proxy = await startFaultyRpcProxy({ targetUrl: anvil.rpcUrl, faultFor: () => null, maxLogRangeBlocks: 0 });
  cleanups.push(() => proxy.stop());
  const indexer = createIndexer({
    db: database.db,
    publicClient: createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    maxBlockRange: 16,
    pollIntervalMs: 20,
  });
  await indexer.start();
  await expect(indexer.waitUntilSynced()).rejects.toMatchObject({ code: "RPC_RANGE_REFUSED" });
  expect(indexer.status()).toMatchObject({ state: "halted", blockRange: 1 });
  expect(proxy.counts.rangeRefused).toBe(5);
});

test("logs whose block hash is not their block's are not stored: CHAIN_BLOCK_HASH_MISMATCH, and the range is read again", async () => {
  const anvil = await startAnvil();
  cleanups.push(() => anvil.stop());
  const database = await openTestDatabase();
  cleanups.push(() => database.dispose());
  const chain = await deployVermilion(anvil.rpcUrl);
  const [, , alice] = chain.accounts as [Address, Address, Address];
  const collection = await chain.createCollection("Forged");
  const editionId = await chain.createEdition(collection);
  await chain.mint(collection, editionId, alice, 3);
  let forged = 0;
  const errors: string[] = [];
  const proxy = await startFaultyRpcProxy({
    targetUrl: anvil.rpcUrl,
    faultFor: () => null,
    // The first two answers carrying logs claim another block hash, as a node behind a reorg would.
    tamper: (method, answer) => {
      const logs = answer.result as Array<{ blockHash: string }> | undefined;
      if (method !== "eth_getLogs" || !logs?.length || forged >= 2) return answer;
      forged++;
      return { ...answer, result: logs.map((log) => ({ ...log, blockHash: `0x${"ee".repeat(32)}` })) };
    },
  });
  cleanups.push(() => proxy.stop());
  const indexer = createIndexer({
    db: database.db,
    publicClient: createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    pollIntervalMs: 20,
    retryDelayMs: 5,
    logger: { info() {}, error() {}, warn: (details) => errors.push(String(details.code)) },
  });
  await indexer.start();
  await indexer.waitUntilSynced(await chain.publicClient.getBlockNumber());
  await indexer.stop();

  expect(forged).toBe(2);
  expect(errors).toContain("CHAIN_BLOCK_HASH_MISMATCH");
  const { rows } = await database.db.query<{ n: bigint }>(
    "SELECT count(*)::int8 AS n FROM indexer_logs WHERE block_hash = $1",
    [`0x${"ee".repeat(32)}`],
  );
  expect(rows[0]?.n).toBe(0n);
  const tokens = await database.db.query<{ n: bigint }>("SELECT count(*)::int8 AS n FROM indexer_tokens");
  expect(tokens.rows[0]?.n).toBe(3n);
});
