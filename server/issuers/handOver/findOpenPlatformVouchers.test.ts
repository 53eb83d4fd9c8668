import type { TestDatabase } from "../../../test/support/openTestDatabase.js";

import { afterAll, beforeAll, expect, test } from "vitest";

import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { findOpenPlatformVouchers } from "./findOpenPlatformVouchers.js";

const chainId = 31337;
const collection = "0x00000000000000000000000000000000000000bb";
const platform = "0x00000000000000000000000000000000000000cc";
const issuerId = "00000000-0000-4000-8000-000000000002";
let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await openTestDatabase();
  const { db } = testDatabase;
  await db.query("INSERT INTO issuers (issuer_id, name) VALUES ($1, 'Issuer')", [issuerId]);
  // Nonce 1 open; nonce 2 cancelled through the API (cancelled_at): the contract refuses it whoever holds the role.
  for (const nonce of [1n, 2n]) {
    await db.query(
      `INSERT INTO issued_vouchers (chain_id, collection_address, edition_id, nonce, recipient, quantity, deadline, issuer_id, signer)
       VALUES ($1, $2, 1, $3, $2, 1, 500, $4, $5)`,
      [BigInt(chainId), collection, nonce, issuerId, platform],
    );
  }
  await db.query("UPDATE issued_vouchers SET cancelled_at = now(), cancel_tx_hash = '0x01' WHERE nonce = 2");
});

afterAll(async () => {
  await testDatabase?.dispose();
});

test("a cancelled voucher is not an open voucher that would hold up a hand-over", async () => {
  const open = await findOpenPlatformVouchers({ db: testDatabase.db }, { chainId, collection, platform, validAt: 100n });
  expect(open.map((voucher) => voucher.nonce)).toEqual(["1"]);
});
