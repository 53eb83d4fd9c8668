import type { TransferPolicy } from "vermilion-verify/shared/transferPolicy.js";
import type { IndexedBlockView } from "./indexedBlockView.js";
import type { IssuedByView } from "./issuedByView.js";

/** Everything the API says about one token. */
export interface TokenView {
  chainId: number;
  collection: { address: string; name: string; symbol: string; paused: boolean };
  /** Who issued it: the collection's admin address, and the issuer's name when the platform knows it. */
  issuer: IssuedByView | null;
  tokenId: string;
  editionId: string;
  serial: number;
  maxSupply: number;
  /** `#serial/maxSupply`, as printed on the certificate. */
  label: string;
  /** The holder, or null once burned. */
  owner: string | null;
  /** The last holder (the burner, for a burned token). */
  lastHolder: string;
  burned: boolean;
  burnReason: string | null;
  mintKind: string;
  minted: { blockNumber: number; txHash: string };
  tokenUri: string;
  metadataCid: string;
  metadataFrozen: boolean;
  metadataUrl: string | null;
  media: { ipfs: string; gateway: string | null };
  contentSha256: string;
  royalty: { receiver: string; bps: number };
  transferPolicy: TransferPolicy;
  holdSeconds: number;
  locked: boolean;
  /** When a locked token can move: unix seconds, or "never" under a soulbound policy; null when unlocked. */
  lockedUntil: number | "never" | null;
}

/** GET /api/tokens/:address/:tokenId: the token, its edition's name and its metadata document. */
export interface TokenDetailView {
  token: TokenView & {
    /** The edition's name as its issuer created it on this platform; null for editions made elsewhere. */
    editionName: string | null;
    /** The serial's metadata document (ERC-721 JSON) from IPFS; null when it cannot be read here. */
    metadata: unknown;
  };
  indexedBlock: IndexedBlockView | null;
}
