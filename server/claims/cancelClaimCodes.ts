import type { Database } from "../db/Database.js";

import { VermilionError } from "../errors/VermilionError.js";

/**
 * Cancels every code of a batch still open (held ones too): each releases its token of the edition's
 * supply at once. Codes already claimed stay bound and are minted. Idempotent.
 */
export async function cancelClaimBatch(db: Database, parameters: { batchId: string }): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query("UPDATE claim_batches SET cancelled_at = coalesce(cancelled_at, now()) WHERE batch_id = $1", [parameters.batchId]);
    const { rows } = await tx.query(
      "UPDATE claim_codes SET state = 'cancelled', cancelled_at = now(), held_until = NULL WHERE batch_id = $1 AND state = 'open' RETURNING 1",
      [parameters.batchId],
    );
    return rows.length;
  });
}

/**
 * Cancels one code of a batch by its number (as printed beside it). Already cancelled: nothing to do.
 * A claimed code is bound to its recipient: CLAIM_CODE_USED; no such number: NOT_FOUND.
 */
export async function cancelClaimCode(db: Database, parameters: { batchId: string; number: number }): Promise<void> {
  const { rows } = await db.query<{ state: string }>(
    `WITH cancelled AS (
       UPDATE claim_codes SET state = 'cancelled', cancelled_at = now(), held_until = NULL
       WHERE batch_id = $1 AND number = $2 AND state = 'open' RETURNING state)
     SELECT state FROM cancelled UNION ALL SELECT state FROM claim_codes WHERE batch_id = $1 AND number = $2 AND NOT EXISTS (SELECT 1 FROM cancelled)`,
    [parameters.batchId, parameters.number],
  );
  const row = rows[0];
  if (!row) throw new VermilionError("NOT_FOUND", { resource: `claim code ${parameters.number}` });
  if (row.state === "claimed") throw new VermilionError("CLAIM_CODE_USED", {});
}
