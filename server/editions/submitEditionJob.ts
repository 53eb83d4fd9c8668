import type { Queryable } from "../db/Database.js";
import type { EditionFields, StoredEditionMedia } from "./createEdition.js";

import { randomUUID } from "node:crypto";

/** What an edition job stores: every input of `completeEdition`, fixed at submission. */
export interface EditionJobRequest {
  edition: EditionFields;
  media: StoredEditionMedia;
  /** ISO 8601 creation time written into every document, so a resumed build gives the same CIDs. */
  created: string;
}

export interface SubmitEditionJobParameters {
  chainId: number;
  issuerId: string;
  request: EditionJobRequest;
  /** Metadata documents the job will write (serials × (1 + locales)). */
  documentsTotal: number;
}

/** Records a queued edition job (its media already stored); the job runner picks it up. */
export async function submitEditionJob(deps: { db: Queryable }, parameters: SubmitEditionJobParameters): Promise<{ jobId: string }> {
  const jobId = randomUUID();
  await deps.db.query(
    `INSERT INTO edition_jobs (job_id, chain_id, issuer_id, collection_address, request, state, documents_total)
     VALUES ($1, $2, $3, $4, $5, 'queued', $6)`,
    [
      jobId,
      BigInt(parameters.chainId),
      parameters.issuerId,
      parameters.request.edition.collection,
      JSON.stringify(parameters.request),
      parameters.documentsTotal,
    ],
  );
  return { jobId };
}
