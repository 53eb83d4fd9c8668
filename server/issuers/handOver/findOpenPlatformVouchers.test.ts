import type { TestDatabase } from "../../../test/support/openTestDatabase.js";

import { afterAll, beforeAll, expect, test } from "vitest";

import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { findOpenPlatformVouchers } from "./findOpenPlatformVouchers.js";

const chainId = 31337;
const platform = "0x00000000000000000000000000000000000000cc" as const;
const issuerId = "00000000-0000-4000-8000-000000000002";
let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await openTestDatabase();
  await testDatabase.db.query("INSERT INTO issuers (issuer_id, name) VALUES ($1, 'Issuer')", [issuerId]);
});

afterAll(async () => {
  await testDatabase?.dispose();
});

/** Nonces 1 and 2 of `collection`, signed by the platform's key, valid until 500. */
async function signTwo(collection: `0x${string}`): Promise<() => Promise<string[]>> {
  const { db } = testDatabase;
  for (const nonce of [1n, 2n]) {
    await db.query(
      `INSERT INTO issued_vouchers (chain_id, collection_address, edition_id, nonce, recipient, quantity, deadline, issuer_id, signer)
       VALUES ($1, $2, 1, $3, $2, 2, 500, $4, $5)`,
      [chainId, collection, nonce, issuerId, platform],
    );
  }
  return async () => (await findOpenPlatformVouchers({ db }, { chainId, collection, platform, validAt: 100n })).map((voucher) => voucher.nonce);
}

test("a platform-signed voucher whose nonce the index saw cancelled is not listed as open", async () => {
  const collection = "0x00000000000000000000000000000000000000aa" as const;
  const open = await signTwo(collection);
  expect(await open()).toEqual(["1", "2"]);
  await testDatabase.db.query(
    `INSERT INTO indexer_voucher_cancellations (chain_id, tx_hash, log_index, block_number, block_hash, block_timestamp, collection, nonce, canceller)
     VALUES ($1, '0x01', 0, 1, '0x02', 1, $2, 2, $3)`,
    [chainId, collection, platform],
  );
  expect(await open()).toEqual(["1"]);
});

test("a voucher cancelled through the API (cancelled_at) is not an open voucher that would hold up a hand-over", async () => {
  const collection = "0x00000000000000000000000000000000000000bb" as const;
  const open = await signTwo(collection);
  await testDatabase.db.query("UPDATE issued_vouchers SET cancelled_at = now(), cancel_tx_hash = '0x01' WHERE collection_address = $1 AND nonce = 2", [collection]);
  expect(await open()).toEqual(["1"]);
});
