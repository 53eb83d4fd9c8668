import type { Address } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Queryable } from "../db/Database.js";
import type { VoucherListView, VoucherState } from "../views/voucherView.js";

import { VermilionError } from "../errors/VermilionError.js";
import { buildVoucherLink } from "./voucherLink.js";

export interface ListVouchersDeps {
  db: Queryable;
  chain: Pick<ChainClients, "publicClient" | "chainId">;
}

export interface ListVouchersParameters {
  collection: Address;
  editionId: bigint;
  state?: VoucherState;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  limit: number;
}

export type ListVouchersReturnType = VoucherListView;

/** The sort key of the last voucher served: issued_at in microseconds, then the nonce. */
function encodeListCursor(issuedAtMicros: string, nonce: string): string {
  return Buffer.from(`${issuedAtMicros}:${nonce}`, "utf8").toString("base64url");
}

function decodeListCursor(cursor: string): { issuedAtMicros: string; nonce: string } {
  const match = /^(\d{1,19}):(\d{1,78})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new VermilionError("VALIDATION_FAILED", { field: "query.cursor", reason: "not a cursor this API returned" });
  return { issuedAtMicros: match[1]!, nonce: match[2]! };
}

/**
 * An edition's vouchers, newest first, a page at a time (keyset on issue time and nonce), optionally of
 * one state. The state is judged from the platform's records: a redemption the index has seen, a
 * cancellation sent through the API, a void from a hand-over, the chain clock for expiry. (A single
 * voucher's GET also asks the chain, which knows of cancellations from the issuer's own wallet at once.)
 */
export async function listVouchers(deps: ListVouchersDeps, parameters: ListVouchersParameters): Promise<ListVouchersReturnType> {
  const { db, chain } = deps;
  const latest = await chain.publicClient.getBlock({ blockTag: "latest" }).catch((cause: unknown) => {
    throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
  });
  const after = parameters.cursor ? decodeListCursor(parameters.cursor) : null;
  const { rows } = await db.query<{
    nonce: string;
    state: VoucherState;
    recipient: string;
    quantity: bigint;
    deadline: bigint;
    issued_at: Date;
    issued_at_micros: string;
    signature: string | null;
    token_ids: string[] | null;
    cancelled_at: Date | null;
  }>(
    `SELECT * FROM (
       SELECT v.nonce::text AS nonce, v.recipient, v.quantity, v.deadline, v.issued_at, v.signature, v.cancelled_at,
              (extract(epoch FROM v.issued_at) * 1000000)::int8::text AS issued_at_micros,
              t.token_ids,
              CASE WHEN t.token_ids IS NOT NULL THEN 'redeemed'
                   WHEN v.cancelled_at IS NOT NULL OR EXISTS (
                          SELECT 1 FROM indexer_voucher_cancellations c
                          WHERE c.chain_id = v.chain_id AND c.collection = v.collection_address AND c.nonce = v.nonce) THEN 'cancelled'
                   WHEN v.voided_at IS NOT NULL THEN 'void'
                   WHEN v.deadline < $4 THEN 'expired'
                   ELSE 'open' END AS state
       FROM issued_vouchers v
       LEFT JOIN LATERAL (SELECT array_agg(i.token_id::text ORDER BY i.token_id) AS token_ids FROM indexer_transfers i
                          WHERE i.chain_id = v.chain_id AND i.collection = v.collection_address AND i.kind = 'mint' AND i.voucher_nonce = v.nonce
                          HAVING count(*) > 0) t ON true
       WHERE v.chain_id = $1 AND v.collection_address = $2 AND v.edition_id = $3
     ) s
     WHERE ($5::text IS NULL OR s.state = $5)
       AND ($6::int8 IS NULL OR (s.issued_at_micros::int8, s.nonce::numeric) < ($6::int8, $7::numeric))
     ORDER BY s.issued_at_micros::int8 DESC, s.nonce::numeric DESC
     LIMIT $8`,
    [
      BigInt(chain.chainId),
      parameters.collection,
      parameters.editionId,
      latest.timestamp,
      parameters.state ?? null,
      after ? BigInt(after.issuedAtMicros) : null,
      after?.nonce ?? null,
      parameters.limit + 1,
    ],
  );
  const page = rows.slice(0, parameters.limit);
  const last = page.at(-1);
  return {
    vouchers: page.map((row) => ({
      nonce: row.nonce,
      state: row.state,
      recipient: row.recipient,
      quantity: row.quantity.toString(),
      deadline: row.deadline.toString(),
      issuedAt: row.issued_at.toISOString(),
      link: row.signature
        ? buildVoucherLink({
            chainId: chain.chainId,
            collection: parameters.collection,
            editionId: parameters.editionId.toString(),
            to: row.recipient,
            quantity: row.quantity.toString(),
            nonce: row.nonce,
            deadline: row.deadline.toString(),
            signature: row.signature,
          })
        : null,
      tokenIds: row.token_ids ?? [],
      cancelledAt: row.cancelled_at?.toISOString() ?? null,
    })),
    nextCursor: rows.length > parameters.limit && last ? encodeListCursor(last.issued_at_micros, last.nonce) : null,
  };
}
