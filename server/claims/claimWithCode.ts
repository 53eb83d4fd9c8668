import type { Address } from "viem";
import type { Queryable } from "../db/Database.js";
import type { ClaimView } from "../views/claimView.js";

import { claimCodeSha256, holdTokenSha256 } from "./claimCodes.js";
import { claimViewOf, readClaimRow } from "./getClaim.js";
import { refuseClaim } from "./refuseClaim.js";

export interface ClaimWithCodeParameters {
  code: string;
  /** The recipient, in stored (lowercase) form. */
  to: Address;
  /** The token of this device's hold, when it holds the code. */
  holdToken?: string | undefined;
}

export interface ClaimWithCodeReturnType {
  claim: ClaimView;
  /** True for the request that bound the code; false for a repeat with the same address. */
  bound: boolean;
}

/**
 * Binds an open code to `to` in one conditional UPDATE (open, unexpired, and not held by another
 * device), so of any number of concurrent claims exactly one binds it. A repeat with the same address
 * answers as the first did (a retried request, or two tabs); another address is refused
 * CLAIM_CODE_USED, and a code held elsewhere CLAIM_CODE_HELD (`refuseClaim`). The mint itself is the
 * claim dispatcher's: the caller wakes it when `bound`.
 */
export async function claimWithCode(db: Queryable, parameters: ClaimWithCodeParameters): Promise<ClaimWithCodeReturnType> {
  const { rows } = await db.query(
    `UPDATE claim_codes c SET state = 'claimed', recipient = $2, claimed_at = now(), held_until = NULL
     FROM claim_batches b
     WHERE b.batch_id = c.batch_id AND c.code_sha256 = $1 AND c.state = 'open' AND b.expires_at > now()
       AND (c.held_until IS NULL OR c.held_until <= now() OR c.hold_token_sha256 = $3)
     RETURNING 1`,
    [claimCodeSha256(parameters.code), parameters.to, parameters.holdToken === undefined ? null : holdTokenSha256(parameters.holdToken)],
  );
  const row = await readClaimRow(db, { code: parameters.code });
  if (rows.length > 0 && row) return { claim: claimViewOf(row), bound: true };
  if (row?.recipient === parameters.to) return { claim: claimViewOf(row), bound: false };
  throw refuseClaim(row);
}
