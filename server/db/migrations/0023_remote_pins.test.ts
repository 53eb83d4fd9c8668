import { afterEach, describe, expect, test } from "vitest";

import { openTestDatabase, type TestDatabase } from "../../../test/support/openTestDatabase.js";
import { migrate } from "../migrate.js";

const collection = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const receiver = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const SHARED_MEDIA = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

describe.each(["pglite", "postgres"] as const)("migration 0023_remote_pins on %s", (engine) => {
  let database: TestDatabase | undefined;

  afterEach(async () => {
    await database?.dispose();
  });

  test("tracks every CID of the editions created before it, a CID shared by two editions once, each pending and due", async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    // Back to the state before 0023, with two editions sharing their media; the second has a thumbnail and translations.
    await db.exec("DROP TABLE remote_pins");
    await db.query("DELETE FROM schema_migrations WHERE name = '0023_remote_pins'");
    const insertEdition = (editionId: number, cids: { thumbnail: string | null; metadata: string; localized: string | null }) =>
      db.query(
        `INSERT INTO editions (chain_id, collection_address, edition_id, name, description, max_supply, media_cid, media_type, media_sha256,
           thumbnail_cid, metadata_cid, localized_metadata_cid, royalty_receiver, royalty_bps, transfer_policy, hold_seconds, license, attributes, tx_hash)
         VALUES (31337, $1, $2, 'Edition', '', 3, $3, 'png', 'sha', $4, $5, $6, $7, 0, 'free', 0, 'CC0', '[]', '0xbb')`,
        [collection, editionId, SHARED_MEDIA, cids.thumbnail, cids.metadata, cids.localized, receiver],
      );
    await insertEdition(1, { thumbnail: null, metadata: "bafy-metadata-1", localized: null });
    await insertEdition(2, { thumbnail: "bafk-thumbnail-2", metadata: "bafy-metadata-2", localized: "bafy-localized-2" });

    expect((await migrate(db)).applied).toEqual(["0023_remote_pins"]);

    const { rows } = await db.query<{ cid: string; name: string; state: string; attempts: number; due: boolean }>(
      "SELECT cid, name, state, attempts, next_attempt_at <= now() AS due FROM remote_pins ORDER BY cid",
    );
    const pending = { state: "pending", attempts: 0, due: true };
    expect(rows).toEqual([
      { cid: "bafk-thumbnail-2", name: `vermilion:31337:${collection}:2:thumbnail`, ...pending },
      { cid: SHARED_MEDIA, name: `vermilion:31337:${collection}:1:media`, ...pending },
      { cid: "bafy-localized-2", name: `vermilion:31337:${collection}:2:localizedMetadata`, ...pending },
      { cid: "bafy-metadata-1", name: `vermilion:31337:${collection}:1:metadata`, ...pending },
      { cid: "bafy-metadata-2", name: `vermilion:31337:${collection}:2:metadata`, ...pending },
    ]);
    await expect(db.query("INSERT INTO remote_pins (cid, name, state) VALUES ('x', 'x', 'lost')")).rejects.toThrow(/check constraint/);
  });
});
