import type { CollectionView } from "../views/collectionView.js";

export interface CollectionRow {
  collection_id: string;
  address: string;
  salt: string;
  chain_id: bigint;
  issuer_id: string;
  name: string;
  symbol: string;
  contract_uri: string;
  status: "pending" | "deployed";
  tx_hash: string | null;
  block_number: bigint | null;
  created_at: Date;
}

export const COLLECTION_COLUMNS =
  "collection_id, address, salt, chain_id, issuer_id, name, symbol, contract_uri, status, tx_hash, block_number, created_at";

export function toCollectionView(row: CollectionRow): CollectionView {
  return {
    collectionId: row.collection_id,
    address: row.address,
    chainId: Number(row.chain_id),
    issuerId: row.issuer_id,
    name: row.name,
    symbol: row.symbol,
    contractURI: row.contract_uri,
    status: row.status,
    txHash: row.tx_hash,
    blockNumber: row.block_number?.toString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
