import type { VermilionError } from "../../errors/VermilionError.js";
import type { SenderDeps } from "./senderDeps.js";

export interface FailJobParameters {
  jobId: string;
  /** Why: its code and details are what GET /api/jobs/:id reports. */
  error: VermilionError;
}

/** Fails the whole job: its chunks not yet mined are given up, and the job records the error. */
export async function failJob(deps: Pick<SenderDeps, "db" | "logger">, parameters: FailJobParameters): Promise<void> {
  const { jobId, error } = parameters;
  deps.logger.warn({ jobId, code: error.code }, "mint job failed");
  await deps.db.transaction(async (tx) => {
    await tx.query("UPDATE mint_chunks SET state = 'failed' WHERE job_id = $1 AND state IN ('pending', 'sent')", [jobId]);
    await tx.query(
      `UPDATE mint_jobs SET state = 'failed', error_code = $2, error_details = $3, waiting_code = NULL, waiting_details = NULL, waiting_since = NULL,
         updated_at = now() WHERE job_id = $1`,
      [jobId, error.code, JSON.stringify(error.details)],
    );
  });
}
