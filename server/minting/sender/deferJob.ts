import type { VermilionError } from "../../errors/VermilionError.js";
import type { SenderDeps } from "./senderDeps.js";

export interface DeferJobParameters {
  jobId: string;
  /** What the job waits on: its code and details are what GET /api/jobs/:id shows as `waiting`. */
  reason: VermilionError;
}

/**
 * Sets a job aside for `waitRetryMs` without failing it: the condition may pass (the issuing role is
 * granted back, the gas budget's window moves on, the collection is unpaused). The sender goes on with
 * its other jobs meanwhile, and the job records why it waits until it moves on.
 */
export async function deferJob(deps: Pick<SenderDeps, "db" | "logger" | "state" | "waitRetryMs">, parameters: DeferJobParameters): Promise<void> {
  const { jobId, reason } = parameters;
  deps.logger.info({ jobId, code: reason.code }, "mint job waits");
  deps.state.deferredUntil.set(jobId, Date.now() + deps.waitRetryMs);
  await deps.db.query(
    `UPDATE mint_jobs SET waiting_code = $2, waiting_details = $3, waiting_since = CASE WHEN waiting_code = $2 THEN waiting_since ELSE now() END
     WHERE job_id = $1 AND state IN ('queued', 'sending')`,
    [jobId, reason.code, JSON.stringify(reason.details)],
  );
}
