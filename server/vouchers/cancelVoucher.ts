import type { Address } from "viem";
import type { Database } from "../db/Database.js";
import type { SendCollectionTransactionDeps } from "../issuers/accounts/sendCollectionTransaction.js";
import type { CancelledVoucherView } from "../views/voucherView.js";

import { sendCollectionTransaction } from "../issuers/accounts/sendCollectionTransaction.js";
import { findIssuedVoucher } from "./findIssuedVoucher.js";

export type CancelVoucherDeps = SendCollectionTransactionDeps & { db: Database };

export interface CancelVoucherParameters {
  collection: Address;
  nonce: bigint;
}

export type CancelVoucherReturnType = CancelledVoucherView;

/**
 * Cancels a voucher the platform signed: `cancelVouchers([nonce])` from the collection's operating key
 * (simulated first: a redeemed voucher is VOUCHER_ALREADY_REDEEMED and nothing is sent), then, with the
 * receipt in, records `cancelled_at`, which releases the voucher's supply at once. Cancelling again
 * answers the first cancellation without sending anything. VOUCHER_NOT_FOUND for a voucher not ours.
 */
export async function cancelVoucher(deps: CancelVoucherDeps, parameters: CancelVoucherParameters): Promise<CancelVoucherReturnType> {
  const { db, chain } = deps;
  const { collection, nonce } = parameters;
  const row = await findIssuedVoucher(db, { chainId: chain.chainId, collection, nonce });
  if (row.cancelled_at !== null) {
    return { collection, nonce: nonce.toString(), state: "cancelled", txHash: row.cancel_tx_hash, cancelledAt: row.cancelled_at.toISOString() };
  }
  const { txHash } = await sendCollectionTransaction(deps, { collection, functionName: "cancelVouchers", args: [[nonce]], editionId: row.edition_id });
  // A concurrent twin may have recorded its own transaction first: the first record stands (both cancelled the nonce).
  const { rows } = await db.query<{ cancelled_at: Date; cancel_tx_hash: string | null }>(
    `UPDATE issued_vouchers SET cancelled_at = coalesce(cancelled_at, now()), cancel_tx_hash = coalesce(cancel_tx_hash, $4)
     WHERE chain_id = $1 AND collection_address = $2 AND nonce = $3
     RETURNING cancelled_at, cancel_tx_hash`,
    [BigInt(chain.chainId), collection, nonce.toString(), txHash],
  );
  return { collection, nonce: nonce.toString(), state: "cancelled", txHash: rows[0]!.cancel_tx_hash, cancelledAt: rows[0]!.cancelled_at.toISOString() };
}
