import type { IndexedBlockView } from "../views/indexedBlockView.js";
import type { ProvenanceDeps } from "./ProvenanceDeps.js";
import type { TransferPolicy } from "vermilion-verify/shared/transferPolicy.js";
import type { TokenView } from "../views/tokenView.js";
import type { CollectionIssuerRow } from "./collectionIssuer.js";

import { collectionIssuerColumns, collectionIssuerJoins, toIssuedBy } from "./collectionIssuer.js";

/** Columns `toTokenView` reads; from `tokenViewJoins` (indexer_tokens t, indexer_editions e, indexer_collections c, the issuer). */
export const tokenViewColumns = `t.chain_id, t.collection, t.token_id, t.edition_id, t.serial, t.owner, t.burned,
  t.burn_reason, t.restricted, t.acquired_at, t.mint_kind, t.minted_block_number, t.minted_tx_hash,
  e.max_supply, e.metadata_cid, e.metadata_frozen, e.media_cid, e.content_sha256, e.royalty_receiver, e.royalty_bps,
  e.transfer_policy, e.hold_seconds, c.name, c.symbol, c.paused, ${collectionIssuerColumns}`;

export const tokenViewJoins = `indexer_tokens t
  JOIN indexer_editions e ON e.chain_id = t.chain_id AND e.collection = t.collection AND e.edition_id = t.edition_id
  JOIN indexer_collections c ON c.chain_id = t.chain_id AND c.address = t.collection
  ${collectionIssuerJoins}`;

export interface TokenViewRow extends CollectionIssuerRow {
  chain_id: bigint;
  collection: string;
  token_id: bigint;
  edition_id: bigint;
  serial: bigint;
  owner: string;
  burned: boolean;
  burn_reason: string | null;
  restricted: boolean;
  acquired_at: bigint;
  mint_kind: string;
  minted_block_number: bigint;
  minted_tx_hash: string;
  max_supply: bigint;
  metadata_cid: string;
  metadata_frozen: boolean;
  media_cid: string;
  content_sha256: string;
  royalty_receiver: string;
  royalty_bps: bigint;
  transfer_policy: string;
  hold_seconds: bigint;
  name: string;
  symbol: string;
  paused: boolean;
}

function gatewayUrl(deps: ProvenanceDeps, path: string): string | null {
  return deps.ipfsGatewayUrl === undefined ? null : `${deps.ipfsGatewayUrl.replace(/\/+$/, "")}/ipfs/${path}`;
}

/**
 * Shapes a token row for clients. Lock state follows the contract's `_unlocksAt`, evaluated at the
 * last indexed block's timestamp:
 * 1. Acquired under a free policy (not restricted): unlocked.
 * 2. Soulbound now: locked forever.
 * 3. Hold now: locked until acquisition plus the current hold.
 * 4. Free now: unlocked.
 */
export function toTokenView(deps: ProvenanceDeps, row: TokenViewRow, indexedBlock: IndexedBlockView | null): TokenView {
  const now = BigInt(indexedBlock?.timestamp ?? 0);
  let lockedUntil: number | "never" | null = null;
  if (row.restricted && !row.burned) {
    if (row.transfer_policy === "soulbound") lockedUntil = "never";
    else if (row.transfer_policy === "hold" && row.acquired_at + row.hold_seconds > now) {
      lockedUntil = Number(row.acquired_at + row.hold_seconds);
    }
  }
  const tokenPath = `${row.metadata_cid}/${row.serial}.json`;
  return {
    chainId: Number(row.chain_id),
    collection: { address: row.collection, name: row.name, symbol: row.symbol, paused: row.paused },
    issuer: toIssuedBy(row),
    tokenId: row.token_id.toString(),
    editionId: row.edition_id.toString(),
    serial: Number(row.serial),
    maxSupply: Number(row.max_supply),
    label: `#${row.serial}/${row.max_supply}`,
    owner: row.burned ? null : row.owner,
    lastHolder: row.owner,
    burned: row.burned,
    burnReason: row.burn_reason,
    mintKind: row.mint_kind,
    minted: { blockNumber: Number(row.minted_block_number), txHash: row.minted_tx_hash },
    tokenUri: `ipfs://${tokenPath}`,
    metadataCid: row.metadata_cid,
    metadataFrozen: row.metadata_frozen,
    metadataUrl: gatewayUrl(deps, tokenPath),
    media: { ipfs: `ipfs://${row.media_cid}`, gateway: gatewayUrl(deps, row.media_cid) },
    contentSha256: row.content_sha256,
    royalty: { receiver: row.royalty_receiver, bps: Number(row.royalty_bps) },
    transferPolicy: row.transfer_policy as TransferPolicy,
    holdSeconds: Number(row.hold_seconds),
    locked: lockedUntil !== null,
    lockedUntil,
  };
}
