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
export async function deferJob(deps: Pick<SenderDeps, "db" | "logger" | "state" | "waitRetryMs">, parameters: DeferJobParameters): Promise<DeferJobReturnType> {
  const { jobId, reason } = parameters;
  deps.logger.info({ jobId, code: reason.code }, "mint job waits");
  deps.state.deferredUntil.set(jobId, Date.now() + deps.waitRetryMs);
  return markJobWaiting(deps, parameters);
}

/**
 * The `alert` field of the one warning logged when a job begins to wait on the fee policy: a stable
 * value to page on (docs/minting.md "Fees"), logged once per episode, not at every retry.
 */
const FEE_ALERTS: Partial<Record<string, string>> = {
  FEE_CAP_BELOW_MARKET: "fee-cap-below-market",
  FEE_BUMP_CAPPED: "fee-cap-reached",
  GAS_BUDGET_HOUR_SPENT: "gas-budget-spent",
};

/**
 * Whether the job began waiting on this reason now (it waited on nothing, or on another code): once
 * per episode, even across restarts, so an alert about it is raised once and not at every retry.
 */
export type DeferJobReturnType = { began: boolean };

/** Records what a job waits on (shown by GET /api/jobs/:id as `waiting`) without setting it aside. */
export async function markJobWaiting(deps: Pick<SenderDeps, "db" | "logger">, parameters: DeferJobParameters): Promise<DeferJobReturnType> {
  const { jobId, reason } = parameters;
  // The WITH reads the row as the statement found it (one snapshot for the whole statement): the code before this update.
  const { rows } = await deps.db.query<{ previous_code: string | null }>(
    `WITH previous AS (SELECT waiting_code FROM mint_jobs WHERE job_id = $1)
     UPDATE mint_jobs SET waiting_code = $2, waiting_details = $3, waiting_since = CASE WHEN waiting_code = $2 THEN waiting_since ELSE now() END
     WHERE job_id = $1 AND state IN ('queued', 'sending')
     RETURNING (SELECT waiting_code FROM previous) AS previous_code`,
    [jobId, reason.code, JSON.stringify(reason.details)],
  );
  const began = rows.length > 0 && rows[0]!.previous_code !== reason.code;
  const alert = FEE_ALERTS[reason.code];
  if (began && alert) deps.logger.warn({ alert, jobId, code: reason.code, ...reason.details }, reason.message);
  return { began };
}
