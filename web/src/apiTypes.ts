/** The API's answers as the front end reads them (see GET /api/openapi.json and server/provenance/*). */

export interface IndexedBlock {
  number: number;
  hash: string;
  timestamp: number;
  finalizedBlock: number;
  haltedCode: string | null;
}

export interface Collection {
  collectionId: string;
  address: string;
  chainId: number;
  issuerId: string;
  name: string;
  symbol: string;
  status: "pending" | "deployed";
  txHash: string | null;
  createdAt: string;
}

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

export interface TokenView {
  chainId: number;
  collection: { address: string; name: string; symbol: string; paused: boolean };
  tokenId: string;
  editionId: string;
  serial: number;
  maxSupply: number;
  label: string;
  owner: string | null;
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
  transferPolicy: string;
  holdSeconds: number;
  locked: boolean;
  lockedUntil: number | "never" | null;
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

export interface ProvenanceEntry {
  kind: "mint" | "transfer" | "burn";
  mintKind: string | null;
  mintOperator: string | null;
  voucher: { nonce: string; signer: string } | null;
  burnReason: string | null;
  from: string;
  to: string;
  txHash: string;
  blockNumber: number;
  blockHash: string;
  logIndex: number;
  timestamp: number;
  confirmations: number;
  final: boolean;
}

export interface ProvenanceResponse {
  history: ProvenanceEntry[];
  indexedBlock: IndexedBlock | null;
}

export interface EditionTokensResponse {
  edition: {
    collection: string;
    editionId: string;
    maxSupply: number;
    minted: number;
    burned: number;
    sealed: boolean;
    closedEarly: boolean;
    metadataCid: string;
    metadataFrozen: boolean;
    transferPolicy: string;
    holdSeconds: number;
  };
  tokens: Array<{ serial: number; tokenId: string; label: string; owner: string | null; burned: boolean }>;
  nextCursor: string | null;
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

export interface MintJob {
  jobId: string;
  collection: string;
  editionId: string;
  kind: "mint" | "airdrop";
  state: "queued" | "sending" | "completed" | "failed";
  progress: { done: number; total: number };
  transactions: string[];
  tokenIds: string[];
  error: { code: string; details: unknown } | null;
  createdAt: string;
}

export interface WhoAmI {
  kind: "admin" | "issuer";
  issuerId: string | null;
  name: string | null;
}
