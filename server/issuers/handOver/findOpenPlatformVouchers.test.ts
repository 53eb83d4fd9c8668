import type { TestDatabase } from "../../../test/support/openTestDatabase.js";

import { afterAll, beforeAll, expect, test } from "vitest";

import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { findOpenPlatformVouchers } from "./findOpenPlatformVouchers.js";

const chainId = 31337;
const collection = "0x00000000000000000000000000000000000000aa";
const platform = "0x00000000000000000000000000000000000000bb";
const issuerId = "00000000-0000-4000-8000-000000000002";
let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await openTestDatabase();
  await testDatabase.db.query("INSERT INTO issuers (issuer_id, name) VALUES ($1, 'Issuer')", [issuerId]);
});

afterAll(async () => {
  await testDatabase?.dispose();
});

test("a platform-signed voucher whose nonce the index saw cancelled is not listed as open", async () => {
  const { db } = testDatabase;
  // Nonces 1 and 2: both signed by the platform's key (no signer recorded), valid until 500.
  for (const nonce of [1n, 2n]) {
    await db.query(
      `INSERT INTO issued_vouchers (chain_id, collection_address, edition_id, nonce, recipient, quantity, deadline, issuer_id)
       VALUES ($1, $2, 1, $3, $2, 2, 500, $4)`,
      [chainId, collection, nonce, issuerId],
    );
  }
  const open = async () =>
    (await findOpenPlatformVouchers({ db }, { chainId, collection, platform, validAt: 100n })).map((voucher) => voucher.nonce);
  expect(await open()).toEqual(["1", "2"]);

  await db.query(
    `INSERT INTO indexer_voucher_cancellations (chain_id, tx_hash, log_index, block_number, block_hash, block_timestamp, collection, nonce, canceller)
     VALUES ($1, '0x01', 0, 1, '0x02', 1, $2, 2, $3)`,
    [chainId, collection, platform],
  );

  expect(await open()).toEqual(["1"]);
});
