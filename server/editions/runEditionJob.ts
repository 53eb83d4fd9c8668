import type { Hex } from "viem";
import type { CreatedEditionView } from "../views/editionView.js";
import type { CreateEditionDependencies, EditionJournal } from "./createEdition.js";
import type { EditionJobRequest } from "./submitEditionJob.js";

import { completeEdition } from "./createEdition.js";
import { findSentEdition } from "./findSentEdition.js";

/** Where a test may stop the job runner (the crash tests kill the process there). */
export type EditionJobFaultPoint = "after-progress" | "before-send" | "after-receipt" | "after-send";

/** An unfinished job as the runner reads it. */
export interface PendingEditionJobRow {
  job_id: string;
  request: EditionJobRequest;
  documents_total: bigint;
  predicted_edition_id: bigint | null;
  sent_metadata_cid: string | null;
  sent_from_block: bigint | null;
  edition_id: bigint | null;
  tx_hash: Hex | null;
}

export interface RunEditionJobDependencies extends CreateEditionDependencies {
  /** Test hook at each fault point; awaited, so a test can hold the job there. */
  fault: (point: EditionJobFaultPoint) => void | Promise<void>;
  /** Aborted when the runner stops: a build in progress ends at its next progress report and resumes later. */
  signal?: AbortSignal;
}

/**
 * Runs (or resumes) one edition job to completion through `completeEdition`, the synchronous route's
 * own path, recording each step in the job's row first: progress as documents are written, what is
 * about to be sent, what the chain assigned, and the result. A resumed job that reached the chain
 * completes that edition instead of creating another (`findSentEdition`).
 */
export async function runEditionJob(deps: RunEditionJobDependencies, job: PendingEditionJobRow): Promise<CreatedEditionView> {
  const { db } = deps;
  const { request } = job;
  const total = Number(job.documents_total);
  await db.query(
    `UPDATE edition_jobs SET attempts = attempts + 1, updated_at = now(),
       state = CASE WHEN state = 'queued' THEN 'building' ELSE state END,
       documents_written = CASE WHEN state = 'sending' THEN documents_written ELSE 0 END
     WHERE job_id = $1`,
    [job.job_id],
  );
  let progressRecorded = false;
  const journal: EditionJournal = {
    async onProgress(written) {
      deps.signal?.throwIfAborted();
      // A rebuild for another edition id counts the documents again: progress never passes the total.
      await db.query("UPDATE edition_jobs SET documents_written = $2, updated_at = now() WHERE job_id = $1", [job.job_id, Math.min(written, total)]);
      if (!progressRecorded) {
        progressRecorded = true;
        await deps.fault("after-progress");
      }
    },
    async findCreatedEdition() {
      if (job.edition_id !== null && job.tx_hash !== null) return { editionId: job.edition_id, txHash: job.tx_hash };
      if (job.sent_metadata_cid === null || job.predicted_edition_id === null || job.sent_from_block === null) return undefined;
      return findSentEdition(deps, {
        collection: request.edition.collection,
        fromEditionId: job.predicted_edition_id,
        metadataCid: job.sent_metadata_cid,
        contentSha256: `0x${request.media.sha256}`,
        fromBlock: job.sent_from_block,
      });
    },
    async beforeSend(sending) {
      await db.query(
        `UPDATE edition_jobs SET state = 'sending', documents_written = documents_total, predicted_edition_id = $2, sent_metadata_cid = $3,
           sent_from_block = $4, updated_at = now()
         WHERE job_id = $1`,
        [job.job_id, sending.predictedEditionId, sending.metadataCid, sending.fromBlock],
      );
      await deps.fault("before-send");
    },
    async afterSend(sent) {
      await deps.fault("after-receipt");
      await db.query("UPDATE edition_jobs SET edition_id = $2, tx_hash = $3, updated_at = now() WHERE job_id = $1", [
        job.job_id,
        sent.editionId,
        sent.txHash,
      ]);
      await deps.fault("after-send");
    },
  };
  const created = await completeEdition(deps, { edition: request.edition, media: request.media, created: request.created }, journal);
  const result: CreatedEditionView = { collection: request.edition.collection, ...created };
  await db.query(
    `UPDATE edition_jobs SET state = 'completed', documents_written = documents_total, edition_id = $2, tx_hash = $3, result = $4,
       error_code = NULL, error_details = NULL, updated_at = now()
     WHERE job_id = $1`,
    [job.job_id, BigInt(created.editionId), created.txHash, JSON.stringify(result)],
  );
  return result;
}
