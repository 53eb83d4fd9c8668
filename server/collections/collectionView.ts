import type { Queryable } from "../db/Database.js";
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
  admin_address: string | null;
  operating_address: string | null;
  created_at: Date;
}

/** A collection row with its issuer's name and address, as views need it. */
export interface CollectionViewRow extends CollectionRow {
  issuer_name: string;
  issuer_address: string | null;
}

export const COLLECTION_COLUMNS =
  "collection_id, address, salt, chain_id, issuer_id, name, symbol, contract_uri, status, tx_hash, block_number, admin_address, operating_address, created_at";

/** SELECT … FROM collections `c` joined to its issuer `i`; append WHERE/ORDER on `c.` columns. */
export const COLLECTION_VIEW_SELECT = `SELECT ${COLLECTION_COLUMNS.split(", ")
  .map((column) => `c.${column}`)
  .join(", ")}, i.name AS issuer_name, i.address AS issuer_address FROM collections c JOIN issuers i ON i.issuer_id = c.issuer_id`;

export function toCollectionView(row: CollectionViewRow): CollectionView {
  return {
    collectionId: row.collection_id,
    address: row.address,
    chainId: Number(row.chain_id),
    issuerId: row.issuer_id,
    issuer: { name: row.issuer_name, address: row.issuer_address },
    adminAddress: row.admin_address,
    operatingAddress: row.operating_address,
    name: row.name,
    symbol: row.symbol,
    contractURI: row.contract_uri,
    status: row.status,
    txHash: row.tx_hash,
    blockNumber: row.block_number?.toString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** The view of one collection by its id. */
export async function readCollectionView(db: Queryable, collectionId: string): Promise<CollectionView> {
  const { rows } = await db.query<CollectionViewRow>(`${COLLECTION_VIEW_SELECT} WHERE c.collection_id = $1`, [collectionId]);
  if (!rows[0]) throw new Error(`collection ${collectionId} vanished`);
  return toCollectionView(rows[0]);
}
