import type { Queryable } from "../db/Database.js";
import type { ClaimView } from "../views/claimView.js";

import { randomBytes } from "node:crypto";

import { claimCodeSha256, holdTokenSha256 } from "./claimCodes.js";
import { claimViewOf, readClaimRow } from "./getClaim.js";
import { refuseClaim } from "./refuseClaim.js";

/** How long a hold lasts without renewal; the open page renews it well before. */
export const HOLD_SECONDS = 600;

export interface HoldClaimCodeParameters {
  code: string;
  /** The token of an earlier hold by this device, to renew it; a new one is made without it. */
  holdToken?: string | undefined;
}

export interface HoldClaimCodeReturnType {
  holdToken: string;
  heldUntil: string;
  claim: ClaimView;
}

/**
 * Holds an open code for the device that opened its page, so a code seen in transit (a shared photo of
 * the card) cannot be claimed by someone else while its holder types an address: for HOLD_SECONDS only
 * a claim carrying the returned token may bind it. The same token renews the hold; a lapsed hold may
 * be taken by anyone. Refused with the code's state otherwise (`refuseClaim`).
 */
export async function holdClaimCode(db: Queryable, parameters: HoldClaimCodeParameters): Promise<HoldClaimCodeReturnType> {
  const holdToken = parameters.holdToken ?? randomBytes(24).toString("base64url");
  const tokenSha256 = holdTokenSha256(holdToken);
  const { rows } = await db.query<{ held_until: Date }>(
    `UPDATE claim_codes c SET hold_token_sha256 = $2, held_until = now() + make_interval(secs => $3)
     FROM claim_batches b
     WHERE b.batch_id = c.batch_id AND c.code_sha256 = $1 AND c.state = 'open' AND b.expires_at > now()
       AND (c.held_until IS NULL OR c.held_until <= now() OR c.hold_token_sha256 = $2)
     RETURNING c.held_until`,
    [claimCodeSha256(parameters.code), tokenSha256, HOLD_SECONDS],
  );
  const row = await readClaimRow(db, { code: parameters.code });
  if (!rows[0] || !row) throw refuseClaim(row);
  return { holdToken, heldUntil: rows[0].held_until.toISOString(), claim: claimViewOf(row) };
}
