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
  /** The key that sends the job's transactions: the collection's operating key (or the platform's, for an older collection). */
  sender: string | null;
  /**
   * Why a job not yet finished is not moving, while the condition may pass: ISSUER_KEY_REVOKED (the
   * key lost the issuing role; it resumes once the admin grants it back), ISSUER_GAS_BUDGET_EXCEEDED,
   * GAS_FUNDING_EXHAUSTED, COLLECTION_PAUSED, or the fee policy's FEE_CAP_BELOW_MARKET, FEE_BUMP_CAPPED
   * and GAS_BUDGET_HOUR_SPENT (docs/minting.md "Fees"). Null once it moves on; the job never fails for these.
   */
  waiting: { code: string; details: unknown; since: string } | null;
  createdAt: string;
  updatedAt: string;
}
