/** A collection as the API returns it. */
export interface CollectionView {
  collectionId: string;
  address: string;
  chainId: number;
  issuerId: string;
  /** Who issues it: the issuer's name and its address (the admin of its collections). */
  issuer: { name: string; address: string | null };
  /** Holds the collection's admin role (pause, roles, contract URI); null for a collection made before issuer accounts (the platform's key). */
  adminAddress: string | null;
  /** Holds the collection's issuing role (editions, mints); null for a collection made before issuer accounts (the platform's key). */
  operatingAddress: string | null;
  name: string;
  symbol: string;
  contractURI: string;
  status: "pending" | "deployed";
  txHash: string | null;
  blockNumber: string | null;
  createdAt: string;
}
