/**
 * A voucher's state: open (redeemable now), redeemed (per the chain or the index), cancelled (by its issuer:
 * per the chain or our record), void (its signer lost the issuing role when the collection was handed
 * over, so the contract refuses it), expired (its deadline passed by the chain's clock).
 */
export type VoucherState = "open" | "redeemed" | "cancelled" | "void" | "expired";

export const VOUCHER_STATES = ["open", "redeemed", "cancelled", "void", "expired"] as const satisfies readonly VoucherState[];

/** The edition a voucher mints from, as its redeem page shows it. */
export interface VoucherEditionView {
  name: string;
  description: string;
  mediaCid: string;
  mediaType: string;
  thumbnailCid: string | null;
  posterCid: string | null;
  maxSupply: number;
  mintedCount: number;
}

/** GET /api/collections/:address/vouchers/:nonce: a voucher without its signature (the link carries that). */
export interface VoucherView {
  chainId: number;
  collection: string;
  nonce: string;
  state: VoucherState;
  editionId: string;
  recipient: string;
  quantity: string;
  /** Unix seconds; the contract refuses the voucher in any block after it. */
  deadline: string;
  issuedAt: string;
  /** Null when the edition is not in the platform's records (it is on chain: the voucher names it). */
  edition: VoucherEditionView | null;
  /** While open: the serials redeeming it now would mint, first to last (the next ones of the edition). */
  serials: { first: number; last: number } | null;
  /** Once redeemed and indexed: the minted token ids (decimal strings) and the transaction. */
  tokenIds: string[] | null;
  redeemedTxHash: string | null;
  cancelledAt: string | null;
  cancelTxHash: string | null;
}

/** One voucher of an issuer's list (GET …/editions/:editionId/vouchers), with its redeem link when kept. */
export interface VoucherListItemView {
  nonce: string;
  state: VoucherState;
  recipient: string;
  quantity: string;
  deadline: string;
  issuedAt: string;
  /** `/redeem?…`; null for a voucher signed before signatures were kept. */
  link: string | null;
  tokenIds: string[];
  cancelledAt: string | null;
}

export interface VoucherListView {
  vouchers: VoucherListItemView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** POST /api/vouchers/redeem: the platform sent the redemption from the collection's operating key. */
export interface RelayedVoucherView {
  chainId: number;
  collection: string;
  nonce: string;
  recipient: string;
  txHash: string;
  tokenIds: string[];
}

/** POST /api/collections/:address/vouchers/:nonce/cancel. */
export interface CancelledVoucherView {
  collection: string;
  nonce: string;
  state: "cancelled";
  txHash: string | null;
  cancelledAt: string;
}

/** POST …/editions/:editionId/vouchers: the signed voucher and its shareable link. */
export interface IssuedVoucherView {
  collection: string;
  chainId: number;
  voucher: { editionId: string; to: string; quantity: string; nonce: string; deadline: string };
  digest: string;
  signature: string;
  /** `/redeem?chain=…&collection=…&…&signature=…`: self-contained, relative to the platform's origin. */
  link: string;
}
