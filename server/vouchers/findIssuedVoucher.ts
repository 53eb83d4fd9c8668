import type { Address } from "viem";
import type { Queryable } from "../db/Database.js";

import { VermilionError } from "../errors/VermilionError.js";

/** A row of issued_vouchers as the voucher actions read it. */
export interface IssuedVoucherRow {
  edition_id: bigint;
  nonce: string;
  recipient: string;
  quantity: bigint;
  deadline: bigint;
  issuer_id: string;
  signer: string | null;
  signature: string | null;
  issued_at: Date;
  voided_at: Date | null;
  cancelled_at: Date | null;
  cancel_tx_hash: string | null;
}

export interface FindIssuedVoucherParameters {
  chainId: number;
  collection: Address;
  nonce: bigint;
}

/** The voucher the platform signed with this nonce on this collection; VOUCHER_NOT_FOUND if none. */
export async function findIssuedVoucher(db: Queryable, parameters: FindIssuedVoucherParameters): Promise<IssuedVoucherRow> {
  const { rows } = await db.query<IssuedVoucherRow>(
    `SELECT edition_id, nonce::text AS nonce, recipient, quantity, deadline, issuer_id, signer, signature, issued_at, voided_at, cancelled_at, cancel_tx_hash
     FROM issued_vouchers WHERE chain_id = $1 AND collection_address = $2 AND nonce = $3`,
    [BigInt(parameters.chainId), parameters.collection, parameters.nonce.toString()],
  );
  if (!rows[0]) throw new VermilionError("VOUCHER_NOT_FOUND", { nonce: parameters.nonce.toString(), collection: parameters.collection });
  return rows[0];
}
