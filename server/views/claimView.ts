/** Where a claim code stands, as GET /api/claims/:code tells its visitor. */
export type ClaimState = "open" | "held" | "claimed" | "minting" | "minted" | "failed" | "cancelled" | "expired";

/** A claim code as its public page sees it: never the batch, never other codes. */
export interface ClaimView {
  state: ClaimState;
  chainId: number;
  collection: string;
  editionId: string;
  /** The edition as the platform created it (null for an edition made outside the platform). */
  edition: {
    name: string | null;
    description: string | null;
    maxSupply: number | null;
    mediaCid: string | null;
    mediaType: string | null;
    thumbnailCid: string | null;
  };
  expiresAt: string;
  /** Until when an open code is held by the device that opened it (null when not held). */
  heldUntil: string | null;
  /** The address the code is bound to, once claimed. */
  recipient: string | null;
  /** Once minted: the token, its serial and the transaction. */
  tokenId: string | null;
  serial: number | null;
  txHash: string | null;
  /** What the mint job waits on (ISSUER_GAS_BUDGET_EXCEEDED, COLLECTION_PAUSED, …), while it does. */
  waiting: { code: string; since: string } | null;
  /** Why the mint failed, when it did (the code stays bound; the issuer can mint again). */
  error: { code: string } | null;
}

/** A batch of claim codes with how its codes stand, as the issuer's console lists it. */
export interface ClaimBatchView {
  batchId: string;
  collection: string;
  editionId: string;
  label: string | null;
  count: number;
  expiresAt: string;
  cancelledAt: string | null;
  createdAt: string;
  counts: { open: number; held: number; claimed: number; minting: number; minted: number; failed: number; expired: number; cancelled: number };
}

/** One code of a batch, for the sheet and the CSV: only its issuer sees these. */
export interface ClaimCodeListItem {
  number: number;
  code: string;
  url: string;
  state: ClaimState;
  recipient: string | null;
  tokenId: string | null;
}
