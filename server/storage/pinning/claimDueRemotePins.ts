import type { Database } from "../../db/Database.js";

import { randomUUID } from "node:crypto";

/** Pin states with something left to do: request (again) or poll. */
export const UNFINISHED_REMOTE_PIN_STATES = ["pending", "queued", "pinning", "failed"] as const;
export type RemotePinState = (typeof UNFINISHED_REMOTE_PIN_STATES)[number] | "pinned" | "rejected";

/** A remote pin this instance has claimed and must advance one step. */
export interface ClaimedRemotePin {
  cid: string;
  name: string;
  state: (typeof UNFINISHED_REMOTE_PIN_STATES)[number];
  requestId: string | null;
  attempts: number;
  polls: number;
}

export interface ClaimDueRemotePinsParameters {
  now: Date;
  limit: number;
  /** How long the claim keeps other instances off these rows: past it, a dead claimer's pins fall due again. */
  claimMs: number;
}

/**
 * Claims up to `limit` pins due by `now` (FOR UPDATE SKIP LOCKED, so instances working at once take
 * different rows), marking each with a fresh claim id and pushing its next attempt `claimMs` ahead.
 * The claim id fences the outcome: a claimer that outlived its claim finds its write refused.
 */
export async function claimDueRemotePins(
  deps: { db: Database },
  parameters: ClaimDueRemotePinsParameters,
): Promise<{ claimId: string; pins: ClaimedRemotePin[] }> {
  const claimId = randomUUID();
  const pins = await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ cid: string; name: string; state: ClaimedRemotePin["state"]; request_id: string | null; attempts: number; polls: number }>(
      `SELECT cid, name, state, request_id, attempts, polls FROM remote_pins
       WHERE state IN ('pending', 'queued', 'pinning', 'failed') AND next_attempt_at <= $1
       ORDER BY next_attempt_at, cid
       LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [parameters.now, parameters.limit],
    );
    if (rows.length === 0) return [];
    await tx.query("UPDATE remote_pins SET claim_id = $1, next_attempt_at = $2 WHERE cid = ANY($3::text[])", [
      claimId,
      new Date(parameters.now.getTime() + parameters.claimMs),
      rows.map((row) => row.cid),
    ]);
    return rows.map((row) => ({ cid: row.cid, name: row.name, state: row.state, requestId: row.request_id, attempts: row.attempts, polls: row.polls }));
  });
  return { claimId, pins };
}
