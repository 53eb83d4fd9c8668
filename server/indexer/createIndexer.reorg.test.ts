import type { Address, Hash } from "viem";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";
import type { VermilionDeployment } from "../../test/support/deployVermilion.js";
import type { Indexer } from "./createIndexer.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, http } from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";

import { deployVermilion } from "../../test/support/deployVermilion.js";
import { dumpIndex } from "../../test/support/dumpIndex.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { resetIndex } from "../../test/support/resetIndex.js";
import { rpc } from "../../test/support/rpc.js";
import { startAnvil } from "../../test/support/startAnvil.js";
import { createIndexer } from "./createIndexer.js";

let database: TestDatabase;
const cleanups: Array<() => Promise<void>> = [];

function startIndexer(rpcUrl: string, chain: VermilionDeployment, reorgWindowBlocks?: number): Indexer {
  const indexer = createIndexer({
    db: database.db,
    publicClient: createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    pollIntervalMs: 20,
    retryDelayMs: 20,
    maxRetryDelayMs: 200,
    ...(reorgWindowBlocks === undefined ? {} : { reorgWindowBlocks }),
  });
  cleanups.push(() => indexer.stop());
  void indexer.start();
  return indexer;
}

async function syncToHead(indexer: Indexer, chain: VermilionDeployment) {
  await indexer.waitUntilSynced(await chain.publicClient.getBlockNumber());
}

/** Indexes the current chain from scratch into the same database and returns its dump. */
async function freshIndexDump(rpcUrl: string, chain: VermilionDeployment) {
  await resetIndex(database.db);
  const indexer = startIndexer(rpcUrl, chain);
  await syncToHead(indexer, chain);
  await indexer.stop();
  return dumpIndex(database.db);
}

async function countRows(sql: string, parameters: unknown[] = []): Promise<bigint> {
  const { rows } = await database.db.query<{ n: bigint }>(sql, parameters);
  return rows[0]?.n ?? 0n;
}

describe.each(["pglite", "postgres"] as const)("reorgs on Anvil, indexed into %s", (engine) => {
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
    await resetIndex(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  test("a reverted chain with different transactions: retracted events gone, new ones present, no duplicates", async () => {
    const anvil = await startAnvil();
    cleanups.push(() => anvil.stop());
    const chain = await deployVermilion(anvil.rpcUrl);
    const [, , alice, bob, carol] = chain.accounts as Address[] as [Address, Address, Address, Address, Address];
    const collection = await chain.createCollection("Reorg");
    const editionId = await chain.createEdition(collection);
    await chain.mint(collection, editionId, alice, 2);
    const indexer = startIndexer(anvil.rpcUrl, chain);
    await syncToHead(indexer, chain);

    const snapshot = await rpc<string>(anvil.rpcUrl, "evm_snapshot");
    const retracted: Hash[] = [
      await chain.mint(collection, editionId, bob, 3),
      await chain.transfer(collection, alice, bob, 1_000_001n),
      await chain.burn(collection, bob, 1_000_003n, 9n),
    ];
    await syncToHead(indexer, chain);
    expect(await countRows("SELECT count(*)::int8 AS n FROM indexer_logs WHERE tx_hash = ANY($1)", [retracted])).toBeGreaterThan(0n);

    await rpc(anvil.rpcUrl, "evm_revert", [snapshot]);
    const replacements: Hash[] = [
      await chain.mint(collection, editionId, carol, 1),
      await chain.transfer(collection, alice, carol, 1_000_002n),
    ];
    await rpc(anvil.rpcUrl, "anvil_mine", ["0x3"]);
    await syncToHead(indexer, chain);

    expect(indexer.status().reorgsHandled).toBeGreaterThanOrEqual(1);
    expect(await countRows("SELECT count(*)::int8 AS n FROM indexer_logs WHERE tx_hash = ANY($1)", [retracted])).toBe(0n);
    expect(await countRows("SELECT count(*)::int8 AS n FROM indexer_transfers WHERE tx_hash = ANY($1)", [replacements])).toBe(2n);
    const owners = await database.db.query("SELECT token_id, owner, burned FROM indexer_tokens ORDER BY token_id");
    expect(owners.rows).toEqual([
      { token_id: 1_000_001n, owner: alice.toLowerCase(), burned: false },
      { token_id: 1_000_002n, owner: carol.toLowerCase(), burned: false },
      { token_id: 1_000_003n, owner: carol.toLowerCase(), burned: false },
    ]);
    const edition = await database.db.query("SELECT minted_count, burned_count FROM indexer_editions");
    expect(edition.rows).toEqual([{ minted_count: 3n, burned_count: 0n }]);
    expect(await countRows("SELECT count(*)::int8 AS n FROM indexer_blocks b WHERE b.block_number > (SELECT block_number FROM indexer_checkpoints)")).toBe(0n);
    await indexer.stop();

    const afterReorg = await dumpIndex(database.db);
    expect(afterReorg).toEqual(await freshIndexDump(anvil.rpcUrl, chain));
  });

  test("edition, pause and role changes of retracted blocks are undone from the journal", async () => {
    const anvil = await startAnvil();
    cleanups.push(() => anvil.stop());
    const chain = await deployVermilion(anvil.rpcUrl);
    const [admin, issuer, alice] = chain.accounts as [Address, Address, Address];
    const collection = await chain.createCollection("Journal");
    const editionId = await chain.createEdition(collection, { transferPolicy: 2 });
    await chain.mint(collection, editionId, alice, 2);
    const indexer = startIndexer(anvil.rpcUrl, chain);
    await syncToHead(indexer, chain);
    const before = await dumpIndex(database.db);

    const snapshot = await rpc<string>(anvil.rpcUrl, "evm_snapshot");
    await chain.execute(collection, issuer, "setEditionMetadata", [editionId, "bafyretracted"]);
    await chain.execute(collection, issuer, "loosenTransferPolicy", [editionId, 0, 0]);
    await chain.execute(collection, admin, "pause", []);
    await chain.execute(collection, admin, "grantRole", [`0x${"00".repeat(32)}`, alice]);
    await syncToHead(indexer, chain);
    expect(await dumpIndex(database.db)).not.toEqual(before);

    await rpc(anvil.rpcUrl, "evm_revert", [snapshot]);
    await rpc(anvil.rpcUrl, "anvil_mine", ["0x6"]);
    await syncToHead(indexer, chain);
    await indexer.stop();

    expect(indexer.status().reorgsHandled).toBeGreaterThanOrEqual(1);
    expect(await dumpIndex(database.db)).toEqual(before);
  });

  test("a reorg deeper than the window halts indexing with REORG_TOO_DEEP and keeps the rows", async () => {
    const anvil = await startAnvil();
    cleanups.push(() => anvil.stop());
    const chain = await deployVermilion(anvil.rpcUrl);
    const [, , alice] = chain.accounts as [Address, Address, Address];
    const collection = await chain.createCollection("Deep");
    const editionId = await chain.createEdition(collection);
    const snapshot = await rpc<string>(anvil.rpcUrl, "evm_snapshot");
    for (let index = 0; index < 6; index++) await chain.mint(collection, editionId, alice, 1);
    const indexer = startIndexer(anvil.rpcUrl, chain, 3);
    await syncToHead(indexer, chain);
    const before = await dumpIndex(database.db);

    await rpc(anvil.rpcUrl, "evm_revert", [snapshot]);
    await rpc(anvil.rpcUrl, "anvil_mine", ["0xa"]);

    await expect(indexer.waitUntilSynced()).rejects.toMatchObject({ code: "REORG_TOO_DEEP" });
    expect(indexer.status()).toMatchObject({ state: "halted", lastError: { code: "REORG_TOO_DEEP" } });
    const { rows } = await database.db.query("SELECT halted_code FROM indexer_checkpoints");
    expect(rows).toEqual([{ halted_code: "REORG_TOO_DEEP" }]);
    expect(await dumpIndex(database.db)).toEqual(before);
  });

  test("an Anvil restarted from an older state file is rolled back to the shared block and re-indexed", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-anvil-state-"));
    cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
    const stateFile = path.join(stateDir, "state.json");
    const first = await startAnvil({ args: ["--dump-state", stateFile] });
    const chain = await deployVermilion(first.rpcUrl);
    const [, , alice, bob] = chain.accounts as [Address, Address, Address, Address];
    const collection = await chain.createCollection("Restart");
    const editionId = await chain.createEdition(collection);
    await chain.mint(collection, editionId, alice, 2);
    await first.stop();

    let node = await startAnvil({ port: first.port, args: ["--load-state", stateFile] });
    cleanups.push(() => node.stop());
    const indexer = startIndexer(node.rpcUrl, chain);
    await chain.mint(collection, editionId, bob, 2);
    await chain.transfer(collection, alice, bob, 1_000_001n);
    await syncToHead(indexer, chain);
    expect(await countRows("SELECT count(*)::int8 AS n FROM indexer_tokens")).toBe(4n);

    await node.stop();
    node = await startAnvil({ port: first.port, args: ["--load-state", stateFile] });
    await chain.mint(collection, editionId, alice, 1);
    await syncToHead(indexer, chain);
    await indexer.stop();

    expect(indexer.status().reorgsHandled).toBeGreaterThanOrEqual(1);
    const tokens = await database.db.query("SELECT token_id, owner FROM indexer_tokens ORDER BY token_id");
    expect(tokens.rows).toEqual([
      { token_id: 1_000_001n, owner: alice.toLowerCase() },
      { token_id: 1_000_002n, owner: alice.toLowerCase() },
      { token_id: 1_000_003n, owner: alice.toLowerCase() },
    ]);
    const afterRestart = await dumpIndex(database.db);
    expect(afterRestart).toEqual(await freshIndexDump(node.rpcUrl, chain));
  });
});
