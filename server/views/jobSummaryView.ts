/** One job in GET /api/jobs: a mint or airdrop job, or an edition job, without its token ids or transactions. */
export interface JobSummaryView {
  jobId: string;
  issuerId: string;
  /** mint | airdrop (GET /api/jobs/:jobId has the rest) or edition (GET /api/edition-jobs/:jobId). */
  kind: "mint" | "airdrop" | "edition";
  /** Mint jobs: queued → sending → completed | failed; edition jobs add building (metadata documents). */
  state: "queued" | "building" | "sending" | "completed" | "failed";
  collection: string;
  /** A mint job's edition; an edition job's once it is created on chain, null before. */
  editionId: string | null;
  /** Tokens minted of a mint job's total, or metadata documents written of an edition job's. */
  progress: { done: number; total: number; unit: "tokens" | "documents" };
  error: { code: string; details: unknown } | null;
  /** What a mint job not yet finished waits on (see MintJobView.waiting); null for edition jobs. */
  waiting: { code: string; details: unknown; since: string } | null;
  /** The job's own URL. */
  location: string;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/jobs: a page of jobs, newest first, and the cursor of the next page (null on the last). */
export interface JobListView {
  jobs: JobSummaryView[];
  nextCursor: string | null;
}
