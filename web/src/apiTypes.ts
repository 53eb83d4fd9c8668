/**
 * The API's answers as the front end reads them. Where the server declares the wire shape itself, the
 * type comes from there (type-only imports, erased by the build), so the two cannot drift apart.
 */

import type { CollectionView } from "../../server/collections/collectionView.js";
import type { MintJobView } from "../../server/minting/getMintJob.js";
import type { GetEditionTokensReturnType } from "../../server/provenance/getEditionTokens.js";
import type { ProvenanceEntry } from "../../server/provenance/getTokenProvenance.js";
import type { IndexedBlockView } from "../../server/provenance/readIndexedBlock.js";
import type { TokenView } from "../../server/views/tokenView.js";

export type { ProvenanceEntry, TokenView };
export type IndexedBlock = IndexedBlockView;
export type Collection = CollectionView;
export type MintJob = MintJobView;
export type EditionTokensResponse = Omit<GetEditionTokensReturnType, "indexedBlock">;

export interface Edition {
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
  transferPolicy: string;
  license: string;
  attributes: Array<{ trait_type: string; value: string | number }>;
  txHash: string;
  createdAt: string;
  /** Only on the single-edition route, read from the chain. */
  mintedCount?: number;
  sealed?: boolean;
}

export interface TokenMetadataDocument {
  name?: string;
  description?: string;
  image?: string;
  animation_url?: string;
  attributes?: Array<{ trait_type: string; value: string | number; display_type?: string }>;
  localization?: { default: string; locales: string[]; uri: string };
  "vermilion:provenance"?: { issuer?: string; license?: string; mediaCid?: string; mediaSha256?: string; created?: string };
}

export interface TokenResponse {
  token: TokenView & { editionName: string | null; metadata: TokenMetadataDocument | null };
  indexedBlock: IndexedBlock | null;
}

export interface ProvenanceResponse {
  history: ProvenanceEntry[];
  indexedBlock: IndexedBlock | null;
}

export interface OwnerTokensResponse {
  owner: string;
  tokens: TokenView[];
  nextCursor: string | null;
}

export interface SearchResponse {
  query: string;
  interpretedAs: "txHash" | "address" | "tokenId" | "serial";
  tokens: TokenView[];
  transfers: Array<{ collection: string; tokenId: string; kind: string; from: string; to: string }>;
}

/** docs/…/VERIFY_REPORT: GET /api/tokens/:address/:tokenId/verify. */
export interface VerificationCheck {
  name: string;
  status: "pass" | "fail" | "skip";
  summary: string;
  evidence: Record<string, unknown>;
  failure?: { code: string; detail: string };
}

export interface VerificationReport {
  reportVersion: number;
  subject: { chainId: number; contract: string; tokenId: string; editionId: string; serial: number };
  pinnedBlock: { number: string; hash: string };
  verdict: "pass" | "fail";
  checks: VerificationCheck[];
  generator: { name: string; version: string };
  signature?: { signer: string; scheme: string; signature: string };
}

export interface VerificationJob {
  state: "running" | "completed" | "failed";
  progress: { done: number; total: number };
  /** When completed: the edition-wide checks, and each token's report. */
  checks?: VerificationCheck[];
  reports?: VerificationReport[];
  verdict?: "pass" | "fail";
  pinnedBlock?: { number: string; hash: string };
  /** When failed: why the verification could not run (not a failed verdict). */
  error?: { code: string; message: string };
}

export interface WhoAmI {
  kind: "admin" | "issuer";
  issuerId: string | null;
  name: string | null;
}
