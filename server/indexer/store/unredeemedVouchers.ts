import type { Address } from "viem";
import type { Queryable } from "../../db/Database.js";

export interface UnredeemedVouchersParameters {
  chainId: bigint;
  collection: Address;
  editionId: bigint;
}

export interface SumUnredeemedVouchersParameters extends UnredeemedVouchersParameters {
  /** Chain time (seconds): only vouchers whose deadline is at or after it still hold supply. */
  validAt: bigint;
}

/**
 * The edition's vouchers the platform signed and the index has seen neither redeemed (no indexed transfer
 * carries the voucher's nonce) nor cancelled (no indexed VoucherCancelled names it, whoever sent the
 * cancellation), except those voided when their signer lost the issuing role. The index is the one
 * witness of redemptions and cancellations, so the joins with its tables live here and supply asks
 * through the two reads below. A reorg that retracts a cancellation makes the voucher hold supply again.
 */
const unredeemedVouchers = `FROM issued_vouchers v
     WHERE v.chain_id = $1 AND v.collection_address = $2 AND v.edition_id = $3 AND v.voided_at IS NULL AND v.cancelled_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM indexer_transfers t
                       WHERE t.chain_id = v.chain_id AND t.collection = v.collection_address AND t.voucher_nonce = v.nonce)
       AND NOT EXISTS (SELECT 1 FROM indexer_voucher_cancellations c
                       WHERE c.chain_id = v.chain_id AND c.collection = v.collection_address AND c.nonce = v.nonce)`;

/** Whether the edition has any unredeemed voucher, expired or not (one cheap look: most editions have none). */
export async function hasUnredeemedVouchers(db: Queryable, parameters: UnredeemedVouchersParameters): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 ${unredeemedVouchers} LIMIT 1`, [parameters.chainId, parameters.collection, parameters.editionId]);
  return rows.length > 0;
}

/** Tokens still claimable through the edition's unredeemed vouchers that have not expired at `validAt`. */
export async function sumUnredeemedVouchers(db: Queryable, parameters: SumUnredeemedVouchersParameters): Promise<bigint> {
  const { rows } = await db.query<{ outstanding: bigint | null }>(
    `SELECT sum(v.quantity)::int8 AS outstanding ${unredeemedVouchers} AND v.deadline >= $4`,
    [parameters.chainId, parameters.collection, parameters.editionId, parameters.validAt],
  );
  return rows[0]?.outstanding ?? 0n;
}
