import type { Queryable } from "../db/Database.js";
import type { ClaimCodeListItem, ClaimState } from "../views/claimView.js";
import type { ClaimCodeKey } from "./claimCodes.js";

import { claimCodeOf } from "./claimCodes.js";
import { CLAIM_JOINS, CLAIM_STATE_SQL, CLAIM_TOKEN_ID_SQL } from "./claimStateSql.js";

export interface ListClaimBatchCodesParameters {
  batchId: string;
  /** The page origin the URLs start with (`https://museum.example`). */
  origin: string;
}

/**
 * Every code of a batch, derived again from the key (the database has only their hashes), with its
 * page URL and state, in number order: what the printed sheet and the CSV carry.
 */
export async function listClaimBatchCodes(
  deps: { db: Queryable; claimCodeKey: ClaimCodeKey },
  parameters: ListClaimBatchCodesParameters,
): Promise<ClaimCodeListItem[]> {
  const { rows } = await deps.db.query<{ number: number; state: ClaimState; recipient: string | null; token_id: string | null }>(
    `SELECT c.number, ${CLAIM_STATE_SQL} AS state, c.recipient, ${CLAIM_TOKEN_ID_SQL} AS token_id
     FROM ${CLAIM_JOINS} WHERE c.batch_id = $1 ORDER BY c.number`,
    [parameters.batchId],
  );
  return rows.map((row) => {
    const code = claimCodeOf(deps.claimCodeKey, parameters.batchId, row.number);
    return { number: row.number, code, url: `${parameters.origin}/claim/${code}`, state: row.state, recipient: row.recipient, tokenId: row.token_id };
  });
}

/** The codes as CSV (RFC 4180): number, code, url, state. No field can hold a comma or a quote. */
export function claimCodesCsv(codes: ClaimCodeListItem[]): string {
  return ["number,code,url,state", ...codes.map((item) => `${item.number},${item.code},${item.url},${item.state}`)].join("\r\n") + "\r\n";
}
