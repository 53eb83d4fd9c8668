import type { Queryable } from "../../server/db/Database.js";

const tables: Record<string, string> = {
  indexer_events: "chain_id, block_number, log_index",
  indexer_transfers: "chain_id, block_number, log_index",
  indexer_tokens: "chain_id, collection, token_id",
  indexer_editions: "chain_id, collection, edition_id",
  indexer_collections: "chain_id, address",
  indexer_roles: "chain_id, contract, role, account",
  indexer_voucher_cancellations: "chain_id, block_number, log_index",
};

/** Every indexed row as JSON text, table by table in key order: two equal dumps are two equal indexes. */
export async function dumpIndex(db: Queryable): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const [table, order] of Object.entries(tables)) {
    const { rows } = await db.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY ${order}`);
    dump[table] = rows.map((row) => row.row);
  }
  return dump;
}
