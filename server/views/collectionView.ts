/** A collection as the API returns it. */
export interface CollectionView {
  collectionId: string;
  address: string;
  chainId: number;
  issuerId: string;
  name: string;
  symbol: string;
  contractURI: string;
  status: "pending" | "deployed";
  txHash: string | null;
  blockNumber: string | null;
  createdAt: string;
}
