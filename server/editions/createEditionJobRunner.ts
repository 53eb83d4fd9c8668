import type { Logger } from "pino";
import type { CreateEditionDependencies } from "./createEdition.js";
import type { EditionJobFaultPoint, PendingEditionJobRow } from "./runEditionJob.js";

import { setTimeout as sleep } from "node:timers/promises";

import { isVermilionError } from "../errors/VermilionError.js";
import { runEditionJob } from "./runEditionJob.js";

export interface EditionJobRunnerDependencies extends CreateEditionDependencies {
  logger: Logger;
  /** How often the idle runner looks for new jobs (it is also woken on submission). */
  idlePollMs?: number;
  /** Pause after a step failed with a retryable error. */
  retryAfterMs?: number;
  /** Attempts before a job that never reached the chain is failed. */
  maxAttempts?: number;
  /** Test hook: called at each fault point. */
  onFaultPoint?: (point: EditionJobFaultPoint) => void | Promise<void>;
}

export interface EditionJobRunner {
  start(): void;
  /** Looks for work now (a job was just accepted). */
  wake(): void;
  /** Lets the current step finish (or fail) and stops; an unfinished job resumes at the next start. */
  stop(): Promise<void>;
}

/** The oldest unfinished job of this chain, or undefined. */
async function pickNextJob(deps: Pick<EditionJobRunnerDependencies, "db" | "chain">): Promise<(PendingEditionJobRow & { attempts: number }) | undefined> {
  const { rows } = await deps.db.query<PendingEditionJobRow & { attempts: number }>(
    `SELECT job_id, request, documents_total, predicted_edition_id, sent_metadata_cid, sent_from_block, edition_id, tx_hash, attempts
     FROM edition_jobs WHERE chain_id = $1 AND state IN ('queued', 'building', 'sending') ORDER BY created_at, job_id LIMIT 1`,
    [BigInt(deps.chain.chainId)],
  );
  return rows[0];
}

/**
 * Runs edition jobs one at a time, oldest first (metadata building is disk- and CPU-heavy, and chain
 * writes are serialized anyway). A failure the catalogue calls retryable (chain, store), or an unknown
 * one, is retried after a pause; a final one fails the job, unless the edition already exists on chain,
 * which is then always completed. LEASE_LOST stops the step quietly: another instance runs the job.
 */
export function createEditionJobRunner(dependencies: EditionJobRunnerDependencies): EditionJobRunner {
  const { db, logger } = dependencies;
  const idlePollMs = dependencies.idlePollMs ?? 1_000;
  const retryAfterMs = dependencies.retryAfterMs ?? 2_000;
  const maxAttempts = dependencies.maxAttempts ?? 5;
  let stopping = new AbortController();
  const deps = {
    ...dependencies,
    fault: (point: EditionJobFaultPoint) => dependencies.onFaultPoint?.(point),
    get signal() {
      return stopping.signal;
    },
  };
  let running = false;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  const idle = () =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      setTimeout(resolve, idlePollMs);
    });

  const fail = async (jobId: string, code: string, details: unknown) => {
    await db.query(
      "UPDATE edition_jobs SET state = 'failed', error_code = $2, error_details = $3, updated_at = now() WHERE job_id = $1 AND edition_id IS NULL",
      [jobId, code, JSON.stringify(details)],
    );
  };

  const runLoop = async () => {
    while (running) {
      let job: Awaited<ReturnType<typeof pickNextJob>>;
      try {
        job = await pickNextJob(deps);
      } catch (error) {
        logger.error({ err: error }, "edition job runner could not read its queue; retrying");
        await sleep(retryAfterMs);
        continue;
      }
      if (!job) {
        await idle();
        continue;
      }
      try {
        await runEditionJob(deps, job);
      } catch (error) {
        if (!running || isVermilionError(error, "LEASE_LOST")) return;
        // 1. final (bad input the checks could not see, a contract refusal): the job fails, with the code;
        // 2. retryable or unknown: tried again, up to maxAttempts for a job that has not reached the chain.
        const final = isVermilionError(error) && !error.retryable;
        logger.error({ err: error, jobId: job.job_id, final }, "edition job step failed");
        try {
          if (final) await fail(job.job_id, error.code, error.details);
          else if (job.attempts + 1 >= maxAttempts) {
            await fail(job.job_id, isVermilionError(error) ? error.code : "INTERNAL", isVermilionError(error) ? error.details : {});
          }
        } catch (recordError) {
          logger.error({ err: recordError, jobId: job.job_id }, "could not record the edition job's failure");
        }
        await sleep(retryAfterMs);
      }
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      loop = runLoop();
    },
    wake() {
      wakeUp?.();
    },
    async stop() {
      running = false;
      stopping.abort();
      wakeUp?.();
      await loop;
    },
  };
}
