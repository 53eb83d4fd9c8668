import type { IndexedBlockView } from "./indexedBlockView.js";
import type { TokenView } from "./tokenView.js";

/** GET /api/owners/:owner/tokens: a page of the tokens an address holds. */
export interface OwnerTokensView {
  owner: string;
  tokens: TokenView[];
  /** Pass it back for the next page; null on the last page. */
  nextCursor: string | null;
  indexedBlock: IndexedBlockView | null;
}
