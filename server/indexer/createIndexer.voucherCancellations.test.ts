import type { Address } from "viem";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";
import type { Indexer } from "./createIndexer.js";
import type { VermilionDeployment } from "../../test/support/deployVermilion.js";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { deployVermilion } from "../../test/support/deployVermilion.js";
import { dumpIndex } from "../../test/support/dumpIndex.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { resetIndex } from "../../test/support/resetIndex.js";
import { rpc } from "../../test/support/rpc.js";
import { startAnvil, type StartAnvilReturnType } from "../../test/support/startAnvil.js";
import { createIndexer } from "./createIndexer.js";
import { hasUnredeemedVouchers, sumUnredeemedVouchers } from "./store/unredeemedVouchers.js";

// One chain and one PGlite database: cancellations are indexed like any log, so one engine shows the
// handler and its reorg; createIndexer.reorg.test.ts covers the revert machinery on both engines.
const issuerId = "00000000-0000-4000-8000-0000000000c1";
const nonce = 2n ** 200n + 127n;
let anvil: StartAnvilReturnType;
let database: TestDatabase;
const indexers: Indexer[] = [];

beforeAll(async () => {
  [anvil, database] = await Promise.all([startAnvil(), openTestDatabase("pglite")]);
});

afterAll(async () => {
  await Promise.all(indexers.map((indexer) => indexer.stop()));
  await Promise.all([anvil?.stop(), database?.dispose()]);
});

function startIndexer(chain: VermilionDeployment): Indexer {
  const indexer = createIndexer({
    db: database.db,
    publicClient: createPublicClient({ transport: http(anvil.rpcUrl, { retryCount: 0 }) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    pollIntervalMs: 20,
    retryDelayMs: 20,
    maxRetryDelayMs: 200,
  });
  indexers.push(indexer);
  void indexer.start();
  return indexer;
}

async function syncToHead(indexer: Indexer, chain: VermilionDeployment) {
  await indexer.waitUntilSynced(await chain.publicClient.getBlockNumber());
}

test("an indexed VoucherCancelled releases the voucher's supply; a reorg that retracts it makes the voucher hold supply again", async () => {
  const chain = await deployVermilion(anvil.rpcUrl);
  const [, issuer, alice] = chain.accounts as [Address, Address, Address];
  const collection = (await chain.createCollection("Cancellations")).toLowerCase() as Address;
  const editionId = await chain.createEdition(collection, { maxSupply: 10 });
  const chainId = BigInt(await chain.publicClient.getChainId());
  // A voucher the platform signed for 3 tokens, valid long after the test.
  await database.db.query("INSERT INTO issuers (issuer_id, name) VALUES ($1, 'Cancelling issuer')", [issuerId]);
  await database.db.query(
    `INSERT INTO issued_vouchers (chain_id, collection_address, edition_id, nonce, recipient, quantity, deadline, issuer_id)
     VALUES ($1, $2, $3, $4, $5, 3, $6, $7)`,
    [chainId, collection, editionId, nonce.toString(), alice.toLowerCase(), 2n ** 40n, issuerId],
  );
  const outstanding = () => sumUnredeemedVouchers(database.db, { chainId, collection, editionId, validAt: 0n });
  const indexer = startIndexer(chain);
  await syncToHead(indexer, chain);
  expect(await outstanding()).toBe(3n);

  // Cancelled from the issuing key's own wallet (not through the platform's API): only the index knows.
  const snapshot = await rpc<string>(anvil.rpcUrl, "evm_snapshot");
  const cancelHash = await chain.execute(collection, issuer, "cancelVouchers", [[nonce]]);
  await syncToHead(indexer, chain);

  const cancelReceipt = await chain.publicClient.getTransactionReceipt({ hash: cancelHash });
  const { rows: cancellations } = await database.db.query(
    "SELECT tx_hash, block_number, block_hash, collection, nonce::text AS nonce, canceller FROM indexer_voucher_cancellations",
  );
  expect(cancellations).toEqual([
    {
      tx_hash: cancelHash,
      block_number: cancelReceipt.blockNumber,
      block_hash: cancelReceipt.blockHash,
      collection,
      nonce: nonce.toString(),
      canceller: issuer.toLowerCase(),
    },
  ]);
  expect(await outstanding()).toBe(0n);
  expect(await hasUnredeemedVouchers(database.db, { chainId, collection, editionId })).toBe(false);

  // The block that cancelled is reorganized away: the voucher is redeemable again, so it holds supply.
  await rpc(anvil.rpcUrl, "evm_revert", [snapshot]);
  await rpc(anvil.rpcUrl, "anvil_mine", ["0x3"]);
  await syncToHead(indexer, chain);

  expect(indexer.status().reorgsHandled).toBeGreaterThanOrEqual(1);
  const { rows: afterReorg } = await database.db.query("SELECT nonce FROM indexer_voucher_cancellations");
  expect(afterReorg).toEqual([]);
  expect(await outstanding()).toBe(3n);

  // Cancelled again on the new branch: released again, and the index equals a fresh one of this chain.
  await chain.execute(collection, issuer, "cancelVouchers", [[nonce]]);
  await syncToHead(indexer, chain);
  expect(await outstanding()).toBe(0n);
  await indexer.stop();
  const reorganized = await dumpIndex(database.db);
  expect(reorganized.indexer_voucher_cancellations).toHaveLength(1);

  await resetIndex(database.db);
  const fresh = startIndexer(chain);
  await syncToHead(fresh, chain);
  await fresh.stop();
  expect(await dumpIndex(database.db)).toEqual(reorganized);
});
