import type { Principal } from "../auth/authenticate.js";
import type { Queryable } from "../db/Database.js";
import type { ClaimBatchView } from "../views/claimView.js";

import { VermilionError } from "../errors/VermilionError.js";
import { CLAIM_JOINS, CLAIM_STATE_SQL } from "./claimStateSql.js";

interface BatchRow {
  batch_id: string;
  issuer_id: string;
  collection_address: string;
  edition_id: bigint;
  label: string | null;
  code_count: number;
  expires_at: Date;
  cancelled_at: Date | null;
  created_at: Date;
}

const BATCH_COLUMNS = "batch_id, issuer_id, collection_address, edition_id, label, code_count, expires_at, cancelled_at, created_at";

async function viewsOf(db: Queryable, batches: BatchRow[]): Promise<ClaimBatchView[]> {
  if (batches.length === 0) return [];
  const { rows } = await db.query<{ batch_id: string; state: keyof ClaimBatchView["counts"]; codes: string }>(
    `SELECT c.batch_id, ${CLAIM_STATE_SQL} AS state, count(*)::text AS codes
     FROM ${CLAIM_JOINS} WHERE c.batch_id = ANY($1::uuid[]) GROUP BY 1, 2`,
    [batches.map((batch) => batch.batch_id)],
  );
  return batches.map((batch) => {
    const counts = { open: 0, held: 0, claimed: 0, minting: 0, minted: 0, failed: 0, expired: 0, cancelled: 0 };
    for (const row of rows) if (row.batch_id === batch.batch_id) counts[row.state] = Number(row.codes);
    return {
      batchId: batch.batch_id,
      collection: batch.collection_address,
      editionId: batch.edition_id.toString(),
      label: batch.label,
      count: batch.code_count,
      expiresAt: batch.expires_at.toISOString(),
      cancelledAt: batch.cancelled_at?.toISOString() ?? null,
      createdAt: batch.created_at.toISOString(),
      counts,
    };
  });
}

/**
 * A batch's stored row, checked to belong to the principal's issuer (admins see any). Another issuer's
 * batch is NOT_FOUND, as a job is: batch ids are not to be probed.
 */
export async function findClaimBatch(db: Queryable, parameters: { batchId: string; principal?: Principal }): Promise<BatchRow> {
  const { rows } = await db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM claim_batches WHERE batch_id = $1`, [parameters.batchId]);
  const batch = rows[0];
  const principal = parameters.principal;
  if (!batch || (principal?.kind === "issuer" && principal.issuerId !== batch.issuer_id)) {
    throw new VermilionError("NOT_FOUND", { resource: `claim batch ${parameters.batchId}` });
  }
  return batch;
}

/** One batch with its codes counted by state. */
export async function getClaimBatch(db: Queryable, parameters: { batchId: string; principal?: Principal }): Promise<ClaimBatchView> {
  const [view] = await viewsOf(db, [await findClaimBatch(db, parameters)]);
  return view!;
}

/** An edition's batches, newest first, each with its codes counted by state. */
export async function listClaimBatches(
  db: Queryable,
  parameters: { chainId: number; collection: string; editionId: bigint },
): Promise<ClaimBatchView[]> {
  const { rows } = await db.query<BatchRow>(
    `SELECT ${BATCH_COLUMNS} FROM claim_batches WHERE chain_id = $1 AND collection_address = $2 AND edition_id = $3 ORDER BY created_at DESC, batch_id`,
    [BigInt(parameters.chainId), parameters.collection, parameters.editionId],
  );
  return viewsOf(db, rows);
}
