import type { Address } from "viem";
import type { Queryable } from "../../db/Database.js";

export interface OpenPlatformVoucher {
  editionId: bigint;
  nonce: string;
  recipient: Address;
  quantity: bigint;
  /** Unix seconds. */
  deadline: bigint;
}

export interface FindOpenPlatformVouchersParameters {
  chainId: number;
  collection: Address;
  /** The platform's key: vouchers recorded with no signer were signed by it (before issuer accounts). */
  platform: Address;
  /** Chain time (seconds): a voucher past its deadline is no longer redeemable anyway. */
  validAt: bigint;
}

/**
 * The collection's vouchers signed by the platform's key that a collector could still redeem: not
 * cancelled (through the API or by an indexed VoucherCancelled: void already, nothing to warn about),
 * not voided, not expired, and no indexed transfer carries their nonce. Once the platform's key loses the
 * issuing role, the contract refuses them (VoucherSignerNotIssuer).
 */
export async function findOpenPlatformVouchers(deps: { db: Queryable }, parameters: FindOpenPlatformVouchersParameters): Promise<OpenPlatformVoucher[]> {
  const { rows } = await deps.db.query<{ edition_id: bigint; nonce: string; recipient: Address; quantity: bigint; deadline: bigint }>(
    `SELECT v.edition_id, v.nonce::text AS nonce, v.recipient, v.quantity, v.deadline
     FROM issued_vouchers v
     WHERE v.chain_id = $1 AND v.collection_address = $2 AND (v.signer IS NULL OR v.signer = $3) AND v.voided_at IS NULL AND v.cancelled_at IS NULL
       AND v.deadline >= $4
       AND NOT EXISTS (SELECT 1 FROM indexer_transfers t
                       WHERE t.chain_id = v.chain_id AND t.collection = v.collection_address AND t.voucher_nonce = v.nonce)
       AND NOT EXISTS (SELECT 1 FROM indexer_voucher_cancellations c
                       WHERE c.chain_id = v.chain_id AND c.collection = v.collection_address AND c.nonce = v.nonce)
     ORDER BY v.edition_id, v.deadline`,
    [BigInt(parameters.chainId), parameters.collection, parameters.platform, parameters.validAt],
  );
  return rows.map((row) => ({
    editionId: BigInt(row.edition_id),
    nonce: row.nonce,
    recipient: row.recipient,
    quantity: BigInt(row.quantity),
    deadline: BigInt(row.deadline),
  }));
}
