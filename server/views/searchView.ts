import type { IndexedBlockView } from "./indexedBlockView.js";
import type { TokenView } from "./tokenView.js";

/** GET /api/search: the tokens a query found, and how the query was read. */
export interface SearchView {
  query: string;
  /** How the query was read. */
  interpretedAs: "txHash" | "address" | "tokenId" | "serial";
  tokens: TokenView[];
  /** For a transaction hash: the transfers it made. */
  transfers: Array<{ collection: string; tokenId: string; kind: string; from: string; to: string; logIndex: number; blockNumber: number }>;
  indexedBlock: IndexedBlockView | null;
}
