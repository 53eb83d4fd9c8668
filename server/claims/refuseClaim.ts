import type { ClaimRow } from "./getClaim.js";

import { VermilionError } from "../errors/VermilionError.js";

/**
 * Why a code could not be held or claimed, from its row read after the refused UPDATE:
 * 1. no such code: CLAIM_CODE_NOT_FOUND (404);
 * 2. cancelled: CLAIM_CODE_CANCELLED (410); expired while open: CLAIM_CODE_EXPIRED (410);
 * 3. held by another device: CLAIM_CODE_HELD (409, until when);
 * 4. bound to an address (claimed, minting, minted, failed): CLAIM_CODE_USED (409).
 */
export function refuseClaim(row: ClaimRow | undefined): VermilionError {
  if (!row) return new VermilionError("CLAIM_CODE_NOT_FOUND", {});
  switch (row.state) {
    case "cancelled":
      return new VermilionError("CLAIM_CODE_CANCELLED", {});
    case "expired":
      return new VermilionError("CLAIM_CODE_EXPIRED", { expiresAt: row.expires_at.toISOString() });
    case "held":
    case "open":
      // Open: the hold lapsed between the UPDATE and this read; the caller may simply try again.
      return new VermilionError("CLAIM_CODE_HELD", { heldUntil: (row.held_until ?? new Date()).toISOString() });
    default:
      return new VermilionError("CLAIM_CODE_USED", {});
  }
}
