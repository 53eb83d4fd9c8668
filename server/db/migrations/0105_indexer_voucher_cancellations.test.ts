import { afterEach, describe, expect, test } from "vitest";

import { openTestDatabase, type TestDatabase } from "../../../test/support/openTestDatabase.js";
import { migrate } from "../migrate.js";

const collection = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const canceller = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
describe.each(["pglite", "postgres"] as const)("migration 0105_indexer_voucher_cancellations on %s", (engine) => {
  let database: TestDatabase | undefined;

  afterEach(async () => {
    await database?.dispose();
  });

  test("fills indexer_voucher_cancellations from the VoucherCancelled events an older indexer stored raw", async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    // Back to the state before 0105, with a cancellation indexed then (a nonce past 2^64) and another event.
    await db.exec("DROP TABLE indexer_voucher_cancellations");
    await db.query("DELETE FROM schema_migrations WHERE name = '0105_indexer_voucher_cancellations'");
    const nonce = (2n ** 128n + 5n).toString();
    await db.query(
      `INSERT INTO indexer_events (chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp, address, event_name, args, topics, data)
       VALUES (31337, $1, 3, 0, 9, $2, 1700000000, $3, 'VoucherCancelled', $4::jsonb, '{}', '0x'),
              (31337, $1, 4, 0, 9, $2, 1700000000, $3, 'Paused', $5::jsonb, '{}', '0x')`,
      [`0x${"aa".repeat(32)}`, `0x${"11".repeat(32)}`, collection, JSON.stringify({ nonce, canceller }), JSON.stringify({ account: canceller })],
    );

    expect((await migrate(db)).applied).toEqual(["0105_indexer_voucher_cancellations"]);

    const { rows } = await db.query("SELECT tx_hash, log_index, block_number, collection, nonce::text AS nonce, canceller FROM indexer_voucher_cancellations");
    expect(rows).toEqual([{ tx_hash: `0x${"aa".repeat(32)}`, log_index: 3, block_number: 9n, collection, nonce, canceller }]);
  });
});
