/** A mint job as the API returns it: its progress and, once mined, the token ids it minted. */
export interface MintJobView {
  jobId: string;
  issuerId: string;
  collection: string;
  editionId: string;
  kind: "mint" | "airdrop";
  state: "queued" | "sending" | "completed" | "failed";
  progress: { done: number; total: number };
  transactions: string[];
  /** Minted token ids, in recipient order, as decimal strings. */
  tokenIds: string[];
  error: { code: string; details: unknown } | null;
  createdAt: string;
  updatedAt: string;
}
