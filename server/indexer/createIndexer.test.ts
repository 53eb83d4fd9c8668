import type { Address } from "viem";
import type { StartAnvilReturnType } from "../../test/support/startAnvil.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";
import type { VermilionDeployment } from "../../test/support/deployVermilion.js";

import express from "express";
import { createPublicClient, http, keccak256, toBytes } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { TransferPolicy, deployVermilion } from "../../test/support/deployVermilion.js";
import { dumpIndex } from "../../test/support/dumpIndex.js";
import { listen } from "../../test/support/listen.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { resetIndex } from "../../test/support/resetIndex.js";
import { startAnvil } from "../../test/support/startAnvil.js";
import { createIndexer } from "./createIndexer.js";
import { createIndexerHealthRouter } from "./indexerHealthRouter.js";

const ZERO = "0x0000000000000000000000000000000000000000";
const ISSUER_ROLE = keccak256(toBytes("ISSUER_ROLE"));

describe.each(["pglite", "postgres"] as const)("createIndexer against Anvil, indexing into %s", (engine) => {
  let anvil: StartAnvilReturnType;
  let chain: VermilionDeployment;
  let collection: Address;
  let collector: Address;
  let other: Address;
  let database: TestDatabase;

  beforeAll(async () => {
    [anvil, database] = await Promise.all([startAnvil(), openTestDatabase(engine)]);
    chain = await deployVermilion(anvil.rpcUrl);
    [, , collector, other] = chain.accounts as [Address, Address, Address, Address];
    collection = await chain.createCollection("Dunhuang");
    const free = await chain.createEdition(collection, { maxSupply: 5 });
    const held = await chain.createEdition(collection, { transferPolicy: TransferPolicy.Hold, holdSeconds: 3600 });
    await chain.mint(collection, free, collector, 3);
    await chain.airdrop(collection, free, [collector, other]);
    await chain.redeemVoucher(collection, held, other, 2, 7n);
    await chain.transfer(collection, collector, other, 1_000_001n);
    await chain.burn(collection, other, 1_000_001n, 42n);
  });
  afterAll(async () => {
    await anvil?.stop();
    await database?.dispose();
  });
  beforeEach(async () => {
    await resetIndex(database.db);
  });

  async function indexToHead(options: { maxBlockRange?: number; reorgWindowBlocks?: number } = {}) {
    const indexer = createIndexer({
      db: database.db,
      publicClient: createPublicClient({ transport: http(anvil.rpcUrl, { retryCount: 0 }) }),
      factoryAddress: chain.factoryAddress,
      fromBlock: chain.factoryBlock,
      pollIntervalMs: 50,
      ...options,
    });
    await indexer.start();
    await indexer.waitUntilSynced(await chain.publicClient.getBlockNumber());
    await indexer.stop();
    return indexer;
  }

  test("indexes mints, airdrops, vouchers, transfers and burns into tokens, transfers and editions", async () => {
    await indexToHead();
    const { db } = database;
      const tokens = await db.query<Record<string, unknown>>(
        "SELECT token_id, edition_id, serial, owner, burned, burn_reason, mint_kind, restricted FROM indexer_tokens ORDER BY token_id",
      );
      expect(tokens.rows).toEqual([
        { token_id: 1_000_001n, edition_id: 1n, serial: 1n, owner: other.toLowerCase(), burned: true, burn_reason: "42", mint_kind: "issuer", restricted: false },
        { token_id: 1_000_002n, edition_id: 1n, serial: 2n, owner: collector.toLowerCase(), burned: false, burn_reason: null, mint_kind: "issuer", restricted: false },
        { token_id: 1_000_003n, edition_id: 1n, serial: 3n, owner: collector.toLowerCase(), burned: false, burn_reason: null, mint_kind: "issuer", restricted: false },
        { token_id: 1_000_004n, edition_id: 1n, serial: 4n, owner: collector.toLowerCase(), burned: false, burn_reason: null, mint_kind: "airdrop", restricted: false },
        { token_id: 1_000_005n, edition_id: 1n, serial: 5n, owner: other.toLowerCase(), burned: false, burn_reason: null, mint_kind: "airdrop", restricted: false },
        { token_id: 2_000_001n, edition_id: 2n, serial: 1n, owner: other.toLowerCase(), burned: false, burn_reason: null, mint_kind: "voucher", restricted: true },
        { token_id: 2_000_002n, edition_id: 2n, serial: 2n, owner: other.toLowerCase(), burned: false, burn_reason: null, mint_kind: "voucher", restricted: true },
      ]);
      const editions = await db.query("SELECT edition_id, max_supply, minted_count, burned_count, sealed, closed_early, transfer_policy FROM indexer_editions ORDER BY edition_id");
      expect(editions.rows).toEqual([
        { edition_id: 1n, max_supply: 5n, minted_count: 5n, burned_count: 1n, sealed: true, closed_early: false, transfer_policy: "free" },
        { edition_id: 2n, max_supply: 10_000n, minted_count: 2n, burned_count: 0n, sealed: false, closed_early: false, transfer_policy: "hold" },
      ]);
      const history = await db.query("SELECT kind, from_address, to_address, burn_reason, voucher_nonce FROM indexer_transfers WHERE token_id = 1000001 ORDER BY block_number, log_index");
      expect(history.rows).toEqual([
        { kind: "mint", from_address: ZERO, to_address: collector.toLowerCase(), burn_reason: null, voucher_nonce: null },
        { kind: "transfer", from_address: collector.toLowerCase(), to_address: other.toLowerCase(), burn_reason: null, voucher_nonce: null },
        { kind: "burn", from_address: other.toLowerCase(), to_address: ZERO, burn_reason: "42", voucher_nonce: null },
      ]);
      const allLogs = await chain.publicClient.getLogs({ address: [chain.factoryAddress, collection], fromBlock: 0n });
      const { rows } = await db.query<{ n: bigint }>("SELECT count(*)::int8 AS n FROM indexer_logs");
      expect(rows[0]?.n).toBe(BigInt(allLogs.length));
  });

  test("indexer_logs gives back every log of the factory and its collections exactly as eth_getLogs returns it", async () => {
    await indexToHead();
    const rpcLogs = await chain.publicClient.getLogs({ address: [chain.factoryAddress, collection], fromBlock: 0n });
    const { rows } = await database.db.query<{ tx_hash: string; log_index: number; block_hash: string; address: string; topics: string[]; data: string; event_name: string | null }>(
      "SELECT tx_hash, log_index, block_hash, address, topics, data, event_name FROM indexer_logs ORDER BY block_number, log_index",
    );
    expect(rows).toEqual(
      rpcLogs.map((log) => ({
        tx_hash: log.transactionHash.toLowerCase(),
        log_index: log.logIndex,
        block_hash: log.blockHash.toLowerCase(),
        address: log.address.toLowerCase(),
        topics: log.topics.map((topic) => topic.toLowerCase()),
        data: log.data.toLowerCase(),
        event_name: expect.any(String),
      })),
    );
    // The Transfers are rebuilt from their provenance rows, not stored twice.
    const transfers = rows.filter((row) => row.event_name === "Transfer").length;
    expect(transfers).toBe(9); // 3 minted, 2 airdropped, 2 by voucher, 1 transfer, 1 burn
    const raw = await database.db.query<{ n: bigint }>("SELECT count(*)::int8 AS n FROM indexer_events WHERE event_name = 'Transfer'");
    expect(raw.rows[0]?.n).toBe(0n);
  });

  test("GET /api/health/indexer reports the state and lag while following, 503 once stopped", async () => {
    const indexer = createIndexer({
      db: database.db,
      publicClient: createPublicClient({ transport: http(anvil.rpcUrl) }),
      factoryAddress: chain.factoryAddress,
      fromBlock: chain.factoryBlock,
      pollIntervalMs: 20,
    });
    const app = express();
    app.use(createIndexerHealthRouter({ indexer }));
    const server = await listen(app);
    try {
      await indexer.start();
      const head = await chain.publicClient.getBlockNumber();
      await indexer.waitUntilSynced(head);
      const following = await fetch(`${server.baseUrl}/api/health/indexer`);
      expect(following.status).toBe(200);
      expect(await following.json()).toMatchObject({
        healthy: true,
        state: "following",
        chainId: 31337,
        checkpointBlock: Number(head),
        lagBlocks: 0,
        lastError: null,
      });
      await indexer.stop();
      const stopped = await fetch(`${server.baseUrl}/api/health/indexer`);
      expect(stopped.status).toBe(503);
    } finally {
      await indexer.stop();
      await server.close();
    }
  });

  test("two indexers writing one database take turns and produce the same index as one", async () => {
    await indexToHead();
    const single = await dumpIndex(database.db);
    await resetIndex(database.db);
    await Promise.all([indexToHead({ maxBlockRange: 1 }), indexToHead({ maxBlockRange: 1 })]);
    expect(await dumpIndex(database.db)).toEqual(single);
  });

  test("an RPC serving another chain than the configured one halts with CHAIN_ID_MISMATCH", async () => {
    const indexer = createIndexer({
      db: database.db,
      publicClient: createPublicClient({ transport: http(anvil.rpcUrl) }),
      factoryAddress: chain.factoryAddress,
      chainId: 1n,
    });
    await indexer.start();
    await expect(indexer.waitUntilSynced()).rejects.toMatchObject({ code: "CHAIN_ID_MISMATCH" });
    expect(indexer.status().state).toBe("halted");
  });

  test("one-block ranges produce the same index as wide ones", async () => {
    await indexToHead();
    const wide = await dumpIndex(database.db);
    await resetIndex(database.db);
    await indexToHead({ maxBlockRange: 1 });
    expect(await dumpIndex(database.db)).toEqual(wide);
  });

  test("finalized ranges, whose transfers are applied as one run, produce the same index as journaled one-block ranges", async () => {
    await indexToHead({ maxBlockRange: 1 });
    const oneByOne = await dumpIndex(database.db);
    await resetIndex(database.db);

    // No reorg window: every block is final, so the mint, transfer and burn of token 1,000,001 are one run.
    await indexToHead({ reorgWindowBlocks: 0 });

    expect(await dumpIndex(database.db)).toEqual(oneByOne);
    const { rows } = await database.db.query<{ n: bigint }>("SELECT count(*)::int8 AS n FROM indexer_undo");
    expect(rows[0]?.n).toBe(0n);
  });

  test("edition and collection administration updates editions, collections and role holders", async () => {
    const [admin, issuer] = chain.accounts as [Address, Address];
    const managed = await chain.createCollection("Administered", 2);
    const editionId = await chain.createEdition(managed, { transferPolicy: TransferPolicy.Soulbound });
    await chain.execute(managed, issuer, "setEditionMetadata", [editionId, "bafynewmetadata"]);
    await chain.execute(managed, issuer, "freezeEditionMetadata", [editionId]);
    await chain.execute(managed, issuer, "loosenTransferPolicy", [editionId, TransferPolicy.Hold, 60]);
    await chain.execute(managed, issuer, "closeEdition", [editionId]);
    await chain.execute(managed, admin, "pause", []);
    await chain.execute(managed, admin, "grantRole", [ISSUER_ROLE, other]);
    await chain.execute(managed, admin, "revokeRole", [ISSUER_ROLE, issuer]);
    await indexToHead();
    const { db } = database;

    const editions = await db.query(
      `SELECT metadata_cid, metadata_frozen, transfer_policy, hold_seconds, sealed, closed_early, minted_count
       FROM indexer_editions WHERE collection = $1`,
      [managed.toLowerCase()],
    );
    expect(editions.rows).toEqual([
      { metadata_cid: "bafynewmetadata", metadata_frozen: true, transfer_policy: "hold", hold_seconds: 60n, sealed: true, closed_early: true, minted_count: 0n },
    ]);
    const collections = await db.query("SELECT name, paused, admin, issuer FROM indexer_collections WHERE address = $1", [managed.toLowerCase()]);
    expect(collections.rows).toEqual([{ name: "Administered", paused: true, admin: admin.toLowerCase(), issuer: issuer.toLowerCase() }]);
    const roles = await db.query("SELECT account, granted FROM indexer_roles WHERE contract = $1 AND role = $2 ORDER BY account", [
      managed.toLowerCase(),
      ISSUER_ROLE,
    ]);
    expect(roles.rows).toEqual(
      [
        { account: issuer.toLowerCase(), granted: false },
        { account: other.toLowerCase(), granted: true },
      ].sort((a, b) => a.account.localeCompare(b.account)),
    );
  });
});
