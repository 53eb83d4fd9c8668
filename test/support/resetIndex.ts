import type { Queryable } from "../../server/db/Database.js";

/** Empties every indexer table, so one database (slow to create on PGlite) serves several tests. */
export async function resetIndex(db: Queryable): Promise<void> {
  await db.query(
    `TRUNCATE indexer_checkpoints, indexer_blocks, indexer_events, indexer_collections, indexer_editions,
       indexer_tokens, indexer_transfers, indexer_roles, indexer_undo, indexer_voucher_cancellations`,
  );
}
