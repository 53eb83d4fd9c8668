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
  /** Its CIDs on the remote pinning service (PINNING_SERVICE_URL); null when none is configured. */
  remotePinning: EditionRemotePinningView | null;
}

/** A remote pin's status: the Pinning Service API's four, and ours around them. */
export type RemotePinStatusView = "pending" | "queued" | "pinning" | "pinned" | "failed" | "rejected";

/**
 * An edition's remote pinning. pending: not yet accepted by the service; queued, pinning, pinned: the
 * service's statuses; failed: the service gave up, asked again after a backoff; rejected: the service
 * refused us (errorCode says why: PINNING_SERVICE_UNAUTHORIZED for a wrong token), not retried until a restart.
 */
export interface EditionRemotePinningView {
  /** The least advanced of its pins: pinned once every CID is. */
  status: RemotePinStatusView;
  pins: Array<{
    role: "media" | "thumbnail" | "poster" | "metadata" | "localizedMetadata";
    cid: string;
    status: RemotePinStatusView;
    /** Failed tries in a row (reset once pinned). */
    attempts: number;
    /** The last failure's code (PINNING_SERVICE_UNAVAILABLE, …), null after a success. */
    errorCode: string | null;
    updatedAt: string | null;
  }>;
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
