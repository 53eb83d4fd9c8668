import type { IndexedBlockView } from "./indexedBlockView.js";
import type { IssuedByView } from "./issuedByView.js";

/** One step of a token's history, located exactly on the chain. */
export interface ProvenanceEntry {
  kind: "mint" | "transfer" | "burn";
  /** How a mint happened: issuer (mint), airdrop or voucher; null for other kinds. */
  mintKind: string | null;
  /** Who sent an issuer mint or airdrop (for a voucher, see `voucher.signer`). */
  mintOperator: string | null;
  voucher: { nonce: string; signer: string } | null;
  burnReason: string | null;
  from: string;
  to: string;
  txHash: string;
  txIndex: number;
  blockNumber: number;
  blockHash: string;
  logIndex: number;
  /** Block timestamp, unix seconds. */
  timestamp: number;
  /** Blocks on top of it in the index, itself included. */
  confirmations: number;
  /** `confirmations` reached the chain's CONFIRMATIONS (at once when it is 0 or 1): the platform holds it final. */
  final: boolean;
}

/** GET /api/tokens/:address/:tokenId/provenance: a token's full ordered history. */
export interface TokenProvenanceView {
  collection: string;
  tokenId: string;
  /** Who issued the token (the collection's admin); a mint's `mintOperator` is the key that sent it. */
  issuer: IssuedByView | null;
  history: ProvenanceEntry[];
  indexedBlock: IndexedBlockView | null;
}
