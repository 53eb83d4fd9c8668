import type { TransferPolicy } from "vermilion-verify/shared/transferPolicy.js";
import type { IndexedBlockView } from "./indexedBlockView.js";
import type { IssuedByView } from "./issuedByView.js";

/** One serial of an edition and who holds it. */
export interface EditionSerialView {
  serial: number;
  tokenId: string;
  label: string;
  owner: string | null;
  burned: boolean;
}

/** GET /api/collections/:address/editions/:editionId/tokens: an edition as indexed, and a page of its serials. */
export interface EditionTokensView {
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
    transferPolicy: TransferPolicy;
    holdSeconds: number;
  };
  /** Who issued the edition: the collection's admin address, and the issuer's name when the platform knows it. */
  issuer: IssuedByView | null;
  tokens: EditionSerialView[];
  nextCursor: string | null;
  indexedBlock: IndexedBlockView | null;
}
