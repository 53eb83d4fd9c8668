import type { Queryable } from "../../db/Database.js";

/**
 * Makes pins the service refused (a wrong token, no funds) due again, once, at start: a restart is
 * when an operator's fix of PINNING_SERVICE_TOKEN or of the account takes effect. Returns how many.
 */
export async function reopenRejectedRemotePins(deps: { db: Queryable }): Promise<number> {
  const { rows } = await deps.db.query(
    `UPDATE remote_pins SET state = 'pending', request_id = NULL, attempts = 0, polls = 0, next_attempt_at = now(), claim_id = NULL, updated_at = now()
     WHERE state = 'rejected' RETURNING cid`,
  );
  return rows.length;
}
