import type { Queryable } from "../db/Database.js";
import type { CreatedEditionView } from "../views/editionView.js";
import type { EditionJobView } from "../views/editionJobView.js";

import { VermilionError } from "../errors/VermilionError.js";

interface EditionJobViewRow {
  job_id: string;
  issuer_id: string;
  collection_address: string;
  state: EditionJobView["state"];
  documents_written: bigint;
  documents_total: bigint;
  result: CreatedEditionView | null;
  error_code: string | null;
  error_details: unknown;
  created_at: Date;
  updated_at: Date;
}

/** An edition job with its progress and, once completed, the created edition; NOT_FOUND if there is none. */
export async function getEditionJob(deps: { db: Queryable }, parameters: { chainId: number; jobId: string }): Promise<EditionJobView> {
  const { rows } = await deps.db.query<EditionJobViewRow>(
    `SELECT job_id, issuer_id, collection_address, state, documents_written, documents_total, result, error_code, error_details,
       created_at, updated_at
     FROM edition_jobs WHERE job_id = $1 AND chain_id = $2`,
    [parameters.jobId, BigInt(parameters.chainId)],
  );
  const job = rows[0];
  if (!job) throw new VermilionError("NOT_FOUND", { resource: `edition job ${parameters.jobId}` });
  return {
    jobId: job.job_id,
    issuerId: job.issuer_id,
    collection: job.collection_address,
    state: job.state,
    progress: { documentsWritten: Number(job.documents_written), documentsTotal: Number(job.documents_total) },
    edition: job.state === "completed" ? job.result : null,
    error: job.error_code ? { code: job.error_code, details: job.error_details } : null,
    createdAt: job.created_at.toISOString(),
    updatedAt: job.updated_at.toISOString(),
  };
}
