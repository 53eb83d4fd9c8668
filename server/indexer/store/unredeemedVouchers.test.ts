import type { TestDatabase } from "../../../test/support/openTestDatabase.js";

import { afterAll, beforeAll, expect, test } from "vitest";

import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { hasUnredeemedVouchers, sumUnredeemedVouchers } from "./unredeemedVouchers.js";

const chainId = 31337n;
const collection = "0x00000000000000000000000000000000000000aa";
const issuerId = "00000000-0000-4000-8000-000000000001";
let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await openTestDatabase();
  const { db } = testDatabase;
  await db.query("INSERT INTO issuers (issuer_id, name) VALUES ($1, 'Issuer')", [issuerId]);
  // Edition 1: nonce 1 redeemed (per the index), nonce 2 still valid until 200, nonce 3 expired at 100.
  for (const [nonce, quantity, deadline] of [[1n, 5n, 500n], [2n, 3n, 200n], [3n, 7n, 100n]] as const) {
    await db.query(
      `INSERT INTO issued_vouchers (chain_id, collection_address, edition_id, nonce, recipient, quantity, deadline, issuer_id)
       VALUES ($1, $2, 1, $3, $2, $4, $5, $6)`,
      [chainId, collection, nonce, quantity, deadline, issuerId],
    );
  }
  await db.query(
    `INSERT INTO indexer_transfers (chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp, collection,
                                    token_id, from_address, to_address, kind, mint_kind, voucher_nonce)
     VALUES ($1, '0x01', 0, 0, 1, '0x02', 1, $2, 1000001, '0x0000000000000000000000000000000000000000', $2, 'mint', 'voucher', 1)`,
    [chainId, collection],
  );
});

afterAll(async () => {
  await testDatabase?.dispose();
});

test("vouchers the index saw redeemed hold no supply; expired ones count only when asked without a deadline", async () => {
  const { db } = testDatabase;
  expect(await hasUnredeemedVouchers(db, { chainId, collection, editionId: 1n })).toBe(true);
  expect(await sumUnredeemedVouchers(db, { chainId, collection, editionId: 1n, validAt: 150n })).toBe(3n);
  expect(await sumUnredeemedVouchers(db, { chainId, collection, editionId: 1n, validAt: 50n })).toBe(10n);
  expect(await sumUnredeemedVouchers(db, { chainId, collection, editionId: 1n, validAt: 300n })).toBe(0n);
});

test("a voucher whose nonce the index saw cancelled holds no supply, whoever cancelled it", async () => {
  const { db } = testDatabase;
  // Edition 3: nonce 30 (4 tokens) and nonce 31 (6 tokens), both valid until 500; nonce 31 cancelled on chain.
  for (const [nonce, quantity] of [[30n, 4n], [31n, 6n]] as const) {
    await db.query(
      `INSERT INTO issued_vouchers (chain_id, collection_address, edition_id, nonce, recipient, quantity, deadline, issuer_id)
       VALUES ($1, $2, 3, $3, $2, $4, 500, $5)`,
      [chainId, collection, nonce, quantity, issuerId],
    );
  }
  expect(await sumUnredeemedVouchers(db, { chainId, collection, editionId: 3n, validAt: 150n })).toBe(10n);

  await db.query(
    `INSERT INTO indexer_voucher_cancellations (chain_id, tx_hash, log_index, block_number, block_hash, block_timestamp, collection, nonce, canceller)
     VALUES ($1, '0x03', 0, 2, '0x04', 2, $2, 31, '0x00000000000000000000000000000000000000bb')`,
    [chainId, collection],
  );

  expect(await sumUnredeemedVouchers(db, { chainId, collection, editionId: 3n, validAt: 150n })).toBe(4n);
  expect(await hasUnredeemedVouchers(db, { chainId, collection, editionId: 3n })).toBe(true);
  // The same nonce cancelled on another collection or chain frees nothing here.
  await db.query(
    `INSERT INTO indexer_voucher_cancellations (chain_id, tx_hash, log_index, block_number, block_hash, block_timestamp, collection, nonce, canceller)
     VALUES ($1, '0x05', 0, 3, '0x06', 3, '0x00000000000000000000000000000000000000cc', 30, '0x00000000000000000000000000000000000000bb'),
            (1, '0x07', 0, 3, '0x08', 3, $2, 30, '0x00000000000000000000000000000000000000bb')`,
    [chainId, collection],
  );
  expect(await sumUnredeemedVouchers(db, { chainId, collection, editionId: 3n, validAt: 150n })).toBe(4n);
});

test("an edition without vouchers has none unredeemed and holds nothing", async () => {
  const { db } = testDatabase;
  expect(await hasUnredeemedVouchers(db, { chainId, collection, editionId: 2n })).toBe(false);
  expect(await sumUnredeemedVouchers(db, { chainId, collection, editionId: 2n, validAt: 0n })).toBe(0n);
});
