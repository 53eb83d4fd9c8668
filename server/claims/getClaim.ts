import type { Queryable } from "../db/Database.js";
import type { ClaimState, ClaimView } from "../views/claimView.js";

import { VermilionError } from "../errors/VermilionError.js";
import { decodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { claimCodeSha256 } from "./claimCodes.js";
import { CLAIM_JOINS, CLAIM_STATE_SQL, CLAIM_TOKEN_ID_SQL } from "./claimStateSql.js";

export interface GetClaimParameters {
  /** The code in its normalized form (`normalizeClaimCode`). */
  code: string;
}

/** The stored facts of one code, with its derived state, for the actions that decide on it. */
export interface ClaimRow {
  state: ClaimState;
  chain_id: bigint;
  collection_address: string;
  edition_id: bigint;
  expires_at: Date;
  held_until: Date | null;
  recipient: string | null;
  token_id: string | null;
  tx_hash: string | null;
  waiting_code: string | null;
  waiting_since: Date | null;
  error_code: string | null;
  name: string | null;
  description: string | null;
  max_supply: number | null;
  media_cid: string | null;
  media_type: string | null;
  thumbnail_cid: string | null;
}

/** The code's row, or undefined when no batch holds it. */
export async function readClaimRow(db: Queryable, parameters: GetClaimParameters): Promise<ClaimRow | undefined> {
  const { rows } = await db.query<ClaimRow>(
    `SELECT ${CLAIM_STATE_SQL} AS state, b.chain_id, b.collection_address, b.edition_id, b.expires_at,
            CASE WHEN c.state = 'open' AND c.held_until > now() THEN c.held_until END AS held_until,
            c.recipient, ${CLAIM_TOKEN_ID_SQL} AS token_id, k.tx_hash,
            j.waiting_code, j.waiting_since, CASE WHEN k.state = 'failed' OR j.state = 'failed' THEN j.error_code END AS error_code,
            e.name, e.description, e.max_supply, e.media_cid, e.media_type, e.thumbnail_cid
     FROM ${CLAIM_JOINS}
     LEFT JOIN editions e ON e.chain_id = b.chain_id AND e.collection_address = b.collection_address AND e.edition_id = b.edition_id
     WHERE c.code_sha256 = $1`,
    [claimCodeSha256(parameters.code)],
  );
  return rows[0];
}

/** A row as its public view. */
export function claimViewOf(row: ClaimRow): ClaimView {
  return {
    state: row.state,
    chainId: Number(row.chain_id),
    collection: row.collection_address,
    editionId: row.edition_id.toString(),
    edition: {
      name: row.name,
      description: row.description,
      maxSupply: row.max_supply,
      mediaCid: row.media_cid,
      mediaType: row.media_type,
      thumbnailCid: row.thumbnail_cid,
    },
    expiresAt: row.expires_at.toISOString(),
    heldUntil: row.held_until?.toISOString() ?? null,
    recipient: row.recipient,
    tokenId: row.token_id,
    serial: row.token_id === null ? null : decodeTokenId(BigInt(row.token_id)).serial,
    txHash: row.state === "minted" ? row.tx_hash : null,
    waiting: row.waiting_code && row.state === "minting" ? { code: row.waiting_code, since: (row.waiting_since ?? new Date()).toISOString() } : null,
    error: row.error_code ? { code: row.error_code } : null,
  };
}

/** Where a claim code stands, for anyone holding it; CLAIM_CODE_NOT_FOUND if no batch has it. */
export async function getClaim(db: Queryable, parameters: GetClaimParameters): Promise<ClaimView> {
  const row = await readClaimRow(db, parameters);
  if (!row) throw new VermilionError("CLAIM_CODE_NOT_FOUND", {});
  return claimViewOf(row);
}
