import { encodeEventTopics } from "viem";
import { afterEach, describe, expect, test } from "vitest";

import { openTestDatabase, type TestDatabase } from "../../../test/support/openTestDatabase.js";
import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { migrate } from "../migrate.js";

const collection = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const from = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const to = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

/** An index as versions before 0101 wrote it: each Transfer both raw in indexer_events and as a transfer row. */
async function writeOldStyleTransfer(db: TestDatabase["db"], txHash: string, tokenId: bigint, topics: string[]) {
  await db.query(
    `INSERT INTO indexer_events (chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp, address, event_name, args, topics, data)
     VALUES (31337, $1, 0, 0, 5, $2, 1700000000, $3, 'Transfer', $4::jsonb, $5::text[], '0x')`,
    [txHash, `0x${"11".repeat(32)}`, collection, JSON.stringify({ from, to, tokenId: tokenId.toString() }), `{${topics.join(",")}}`],
  );
  await db.query(
    `INSERT INTO indexer_transfers (chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp, collection, token_id, from_address, to_address, kind)
     VALUES (31337, $1, 0, 0, 5, $2, 1700000000, $3, $4, $5, $6, 'transfer')`,
    [txHash, `0x${"11".repeat(32)}`, collection, tokenId, from, to],
  );
}

describe.each(["pglite", "postgres"] as const)("migration 0101_indexer_logs on %s", (engine) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
  });

  test("drops the raw copies of Transfers that indexer_logs rebuilds, keeps the others, and the view gives every log back", async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    // Back to the state before 0101, with an index written then.
    await db.exec("DROP VIEW indexer_logs");
    await db.exec("CREATE INDEX indexer_events_address_idx ON indexer_events (chain_id, address, event_name)");
    await db.query("DELETE FROM schema_migrations WHERE name = '0101_indexer_logs'");
    const canonical = (encodeEventTopics({ abi: vermilionCollectionAbi, eventName: "Transfer", args: { from, to, tokenId: 1_000_007n } }) as string[]).map((topic) => topic.toLowerCase());
    // Upper bytes of an address topic set: no transfer row can give that log back.
    const dirty = [canonical[0]!, `0xff${canonical[1]!.slice(4)}`, canonical[2]!, `0x${(1_000_008n).toString(16).padStart(64, "0")}`];
    await writeOldStyleTransfer(db, `0x${"aa".repeat(32)}`, 1_000_007n, canonical);
    await writeOldStyleTransfer(db, `0x${"bb".repeat(32)}`, 1_000_008n, dirty);

    expect((await migrate(db)).applied).toEqual(["0101_indexer_logs"]);

    const raw = await db.query<{ tx_hash: string }>("SELECT tx_hash FROM indexer_events ORDER BY tx_hash");
    expect(raw.rows).toEqual([{ tx_hash: `0x${"bb".repeat(32)}` }]);
    const logs = await db.query<{ tx_hash: string; topics: string[]; data: string; args: unknown }>(
      "SELECT tx_hash, topics, data, args FROM indexer_logs ORDER BY tx_hash",
    );
    expect(logs.rows).toEqual([
      { tx_hash: `0x${"aa".repeat(32)}`, topics: canonical, data: "0x", args: { from, to, tokenId: "1000007" } },
      { tx_hash: `0x${"bb".repeat(32)}`, topics: dirty, data: "0x", args: { from, to, tokenId: "1000008" } },
    ]);
  });
});
