import type { TransferPolicy } from "vermilion-verify/shared/transferPolicy.js";

/** An edition as the platform created it, as GET /api/collections/:address/editions lists it. */
export interface EditionView {
  collection: string;
  editionId: string;
  name: string;
  description: string;
  maxSupply: number;
  mediaCid: string;
  mediaType: string;
  mediaSha256: string;
  thumbnailCid: string | null;
  posterCid: string | null;
  metadataCid: string;
  localizedMetadataCid: string | null;
  royaltyReceiver: string;
  royaltyBps: number;
  transferPolicy: TransferPolicy;
  /** Seconds a token stays locked after each mint or transfer under `hold`; 0 otherwise. */
  holdSeconds: number;
  license: string;
  attributes: Array<{ trait_type: string; value: string | number }>;
  txHash: string;
  createdAt: string;
}

/** What the single-edition route adds, read from the chain. */
export interface EditionSupplyView {
  mintedCount: number;
  sealed: boolean;
}

/** GET /api/collections/:address/editions/:editionId. */
export type EditionDetailView = EditionView & EditionSupplyView;

/** GET /api/collections/:address/editions. */
export interface EditionListView {
  editions: EditionView[];
}

/** POST /api/collections/:address/editions: the edition just created, with its commitments. */
export interface CreatedEditionView {
  collection: string;
  editionId: string;
  mediaCid: string;
  mediaType: string;
  mediaSha256: string;
  /** The value stored on-chain: 0x + the media's SHA-256. */
  contentSha256: string;
  thumbnailCid: string | null;
  posterCid: string | null;
  metadataCid: string;
  localizedMetadataCid: string | null;
  txHash: string;
  tokenUriOfFirstSerial: string;
}
