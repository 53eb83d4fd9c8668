import type { HandlerContext, IndexedLog } from "../types.js";

/** The derived tables a reorg must be able to roll back, with their key columns. */
export const derivedTableKeys = {
  indexer_collections: ["chain_id", "address"],
  indexer_editions: ["chain_id", "collection", "edition_id"],
  indexer_tokens: ["chain_id", "collection", "token_id"],
  indexer_roles: ["chain_id", "contract", "role", "account"],
} as const;

export type DerivedTable = keyof typeof derivedTableKeys;

/**
 * Journals the current image of one derived row (or its absence) before a handler changes it, when the
 * log's block can still be reorganized away, once per row and block. The image is taken and stored in SQL (`to_jsonb`), so
 * 256-bit numbers never pass through a JavaScript number.
 */
export async function recordUndo(
  context: HandlerContext,
  log: IndexedLog,
  table: DerivedTable,
  key: Record<string, string | bigint>,
): Promise<void> {
  if (!context.journal) return;
  const columns = derivedTableKeys[table];
  const values = columns.map((column) => {
    const value = key[column];
    if (value === undefined) throw new Error(`recordUndo: ${table} key lacks ${column}`);
    return value.toString();
  });
  const journaledKey = `${table}|${values.join("|")}|${log.blockNumber}`;
  if (context.journaled.has(journaledKey)) return;
  context.journaled.add(journaledKey);
  const where = columns.map((column, index) => `t.${column} = $${index + 5}`).join(" AND ");
  const rowKey = JSON.stringify(Object.fromEntries(columns.map((column, index) => [column, values[index]])));
  await context.tx.query(
    `INSERT INTO indexer_undo (chain_id, block_number, table_name, row_key, old_row)
     VALUES ($1, $2, $3, $4::jsonb, (SELECT to_jsonb(t) FROM ${table} t WHERE ${where}))`,
    [context.chainId, log.blockNumber, table, rowKey, ...values],
  );
}
