import type { TestDatabase } from "../../../test/support/openTestDatabase.js";

import { afterAll, beforeAll, expect, test } from "vitest";

import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { lockCheckpoint } from "./lockCheckpoint.js";

const FACTORY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase("pglite");
  await database.db.query(
    `INSERT INTO indexer_checkpoints (chain_id, factory_address, block_number, block_hash, block_timestamp, finalized_block, reorg_window)
     VALUES (31337, $1, 20, '0xaa', 0, 0, 64)`,
    [FACTORY],
  );
});

afterAll(async () => {
  await database?.dispose();
});

test("a writer whose checkpoint is still current may commit", async () => {
  const committing = database.db.transaction(async (tx) => {
    await lockCheckpoint(tx, { chainId: 31337n, factoryAddress: FACTORY, expected: { blockNumber: 20n, blockHash: "0xaa" } });
    return "committed";
  });
  await expect(committing).resolves.toBe("committed");
});

test("a writer that started from an older checkpoint gets the retryable CHECKPOINT_CONFLICT with both blocks", async () => {
  const committing = database.db.transaction((tx) =>
    lockCheckpoint(tx, { chainId: 31337n, factoryAddress: FACTORY, expected: { blockNumber: 12n, blockHash: "0xbb" } }),
  );
  await expect(committing).rejects.toMatchObject({
    code: "CHECKPOINT_CONFLICT",
    retryable: true,
    details: { expectedBlock: "12", actualBlock: "20" },
  });
});

test("a writer that believed no checkpoint existed conflicts with one that does", async () => {
  const committing = database.db.transaction((tx) => lockCheckpoint(tx, { chainId: 31337n, factoryAddress: FACTORY, expected: null }));
  await expect(committing).rejects.toMatchObject({ code: "CHECKPOINT_CONFLICT", details: { expectedBlock: "none", actualBlock: "20" } });
});
