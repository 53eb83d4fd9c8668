import type { CreatedEditionView } from "./editionView.js";

/** An edition job as GET /api/edition-jobs/:jobId answers it. */
export interface EditionJobView {
  jobId: string;
  issuerId: string;
  collection: string;
  /** queued → building (metadata documents) → sending (the chain transaction) → completed | failed. */
  state: "queued" | "building" | "sending" | "completed" | "failed";
  progress: { documentsWritten: number; documentsTotal: number };
  /** Once completed: the body POST /api/collections/:address/editions answers for a small edition. */
  edition: CreatedEditionView | null;
  error: { code: string; details: unknown } | null;
  createdAt: string;
  updatedAt: string;
}

/** POST /api/collections/:address/editions for a large edition: 202 and where to follow it. */
export interface AcceptedEditionJobView {
  jobId: string;
  state: EditionJobView["state"];
  progress: EditionJobView["progress"];
  /** The job's URL (also the Location header). */
  location: string;
}
