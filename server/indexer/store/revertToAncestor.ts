import type { Queryable } from "../../db/Database.js";
import type { IndexedBlock } from "../types.js";

import { lockCheckpoint } from "./lockCheckpoint.js";
import { derivedTableKeys, type DerivedTable } from "./recordUndo.js";

export interface RevertToAncestorParameters {
  chainId: bigint;
  factoryAddress: string;
  /** The newest block both chains share, or null to revert everything (no indexed block survived). */
  ancestor: IndexedBlock | null;
  /** The checkpoint found orphaned; the revert fails with CHECKPOINT_CONFLICT if it moved meanwhile. */
  orphanedCheckpoint: { blockNumber: bigint; blockHash: string };
}

export interface RevertToAncestorReturnType {
  /** Logs retracted: event rows and transfer rows. */
  revertedEvents: number;
}

/**
 * Deletes everything indexed after `ancestor`, inside the caller's transaction: replays the undo journal
 * newest first onto the derived tables, deletes the events, transfers, voucher cancellations and block
 * hashes above it, and
 * moves the checkpoint back to it (or deletes it when there is no ancestor).
 */
export async function revertToAncestor(
  tx: Queryable,
  parameters: RevertToAncestorParameters,
): Promise<RevertToAncestorReturnType> {
  const { chainId, factoryAddress, ancestor } = parameters;
  const ancestorNumber = ancestor?.number ?? -1n;
  await lockCheckpoint(tx, { chainId, factoryAddress, expected: parameters.orphanedCheckpoint });
  const { rows: undo } = await tx.query<{ undo_id: bigint; table_name: DerivedTable; has_old_row: boolean }>(
    `SELECT undo_id, table_name, old_row IS NOT NULL AS has_old_row FROM indexer_undo
     WHERE chain_id = $1 AND block_number > $2 ORDER BY undo_id DESC`,
    [chainId, ancestorNumber],
  );
  for (const entry of undo) {
    const table = entry.table_name;
    if (!(table in derivedTableKeys)) throw new Error(`unknown journaled table ${table}`);
    const columns = derivedTableKeys[table].join(", ");
    await tx.query(
      `DELETE FROM ${table} WHERE (${columns}) = (SELECT ${columns} FROM jsonb_populate_record(NULL::${table},
         (SELECT row_key FROM indexer_undo WHERE undo_id = $1)))`,
      [entry.undo_id],
    );
    if (entry.has_old_row) {
      await tx.query(
        `INSERT INTO ${table} SELECT * FROM jsonb_populate_record(NULL::${table},
           (SELECT old_row FROM indexer_undo WHERE undo_id = $1))`,
        [entry.undo_id],
      );
    }
  }
  await tx.query("DELETE FROM indexer_undo WHERE chain_id = $1 AND block_number > $2", [chainId, ancestorNumber]);
  const { rows } = await tx.query<{ n: bigint }>(
    "WITH deleted AS (DELETE FROM indexer_events WHERE chain_id = $1 AND block_number > $2 RETURNING 1) SELECT count(*)::int8 AS n FROM deleted",
    [chainId, ancestorNumber],
  );
  const { rows: transfers } = await tx.query<{ n: bigint }>(
    "WITH deleted AS (DELETE FROM indexer_transfers WHERE chain_id = $1 AND block_number > $2 RETURNING 1) SELECT count(*)::int8 AS n FROM deleted",
    [chainId, ancestorNumber],
  );
  // Cancelled voucher nonces are rows per log too: gone with their block, the voucher holds supply again.
  await tx.query("DELETE FROM indexer_voucher_cancellations WHERE chain_id = $1 AND block_number > $2", [chainId, ancestorNumber]);
  // Transfers are logs too, kept as their transfer rows only (see indexer_logs).
  const revertedEvents = Number((rows[0]?.n ?? 0n) + (transfers[0]?.n ?? 0n));
  await tx.query("DELETE FROM indexer_blocks WHERE chain_id = $1 AND block_number > $2", [chainId, ancestorNumber]);
  if (!ancestor) {
    await tx.query("DELETE FROM indexer_checkpoints WHERE chain_id = $1 AND factory_address = $2", [chainId, factoryAddress]);
    return { revertedEvents };
  }
  await tx.query(
    `UPDATE indexer_checkpoints SET block_number = $3, block_hash = $4, block_timestamp = $5, updated_at = now()
     WHERE chain_id = $1 AND factory_address = $2`,
    [chainId, factoryAddress, ancestor.number, ancestor.hash, ancestor.timestamp],
  );
  return { revertedEvents };
}
