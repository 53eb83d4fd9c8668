import type { EditionReport } from "vermilion-verify/report.js";
import type { VerificationJobView } from "./verificationJobView.js";
import type { Queryable } from "../db/Database.js";

import { randomUUID } from "node:crypto";

import { VermilionError } from "../errors/VermilionError.js";

export interface VerificationJobs {
  /** Records the job, starts `run` in the background and returns its id at once. */
  start(run: (onProgress: (progress: { done: number; total: number }) => void) => Promise<EditionReport>): Promise<string>;
  get(jobId: string): Promise<VerificationJobView>;
}

export interface CreateVerificationJobsParameters {
  db: Queryable;
  /** A running job not heard from for this long ran on a process that stopped (default 60 s). */
  staleAfterMs?: number;
  /** Finished jobs are kept this long (default one day). */
  keepFinishedMs?: number;
}

interface JobRow {
  job_id: string;
  state: VerificationJobView["state"];
  done: number;
  total: number;
  result: EditionReport | null;
  error: VerificationJobView["error"] | null;
  stale: boolean;
}

// Progress is written at most this often; the page polls about once a second.
const PROGRESS_WRITE_INTERVAL_MS = 500;

/**
 * Edition verifications in the database, so a poll reaches any instance (how many run at once is the
 * caller's bound: see createVerificationAdmission). The job runs where it was
 * started; if that process dies, its job stops beating and reads as failed (VERIFICATION_INTERRUPTED),
 * and anyone can start it again.
 */
export function createVerificationJobs(parameters: CreateVerificationJobsParameters): VerificationJobs {
  const { db } = parameters;
  const staleAfterMs = parameters.staleAfterMs ?? 60_000;
  const keepFinishedMs = parameters.keepFinishedMs ?? 24 * 3600_000;

  const finish = async (
    jobId: string,
    state: "completed" | "failed",
    fields: { progress: { done: number; total: number }; result?: unknown; error?: unknown },
  ) => {
    await db.query(
      "UPDATE verification_jobs SET state = $2, done = $3, total = $4, result = $5, error = $6, updated_at = now() WHERE job_id = $1",
      [
        jobId,
        state,
        fields.progress.done,
        fields.progress.total,
        fields.result === undefined ? null : JSON.stringify(fields.result),
        fields.error === undefined ? null : JSON.stringify(fields.error),
      ],
    );
  };

  return {
    async start(run) {
      const jobId = randomUUID();
      await db.query("DELETE FROM verification_jobs WHERE state <> 'running' AND updated_at < now() - make_interval(secs => $1)", [
        keepFinishedMs / 1000,
      ]);
      await db.query("INSERT INTO verification_jobs (job_id, state) VALUES ($1, 'running')", [jobId]);
      let lastWriteMs = 0;
      let latest = { done: 0, total: 0 };
      const writeProgress = async () => {
        lastWriteMs = Date.now();
        await db
          .query("UPDATE verification_jobs SET done = $2, total = $3, updated_at = now() WHERE job_id = $1 AND state = 'running'", [jobId, latest.done, latest.total])
          .catch(() => undefined);
      };
      // Beats while a single slow step reports no progress, so a live job never reads as interrupted.
      const heartbeat = setInterval(() => void writeProgress(), Math.max(1_000, staleAfterMs / 4));
      heartbeat.unref();
      run((progress) => {
        latest = progress;
        if (Date.now() - lastWriteMs >= PROGRESS_WRITE_INTERVAL_MS) void writeProgress();
      })
        .then(
          (report) =>
            finish(jobId, "completed", {
              progress: latest,
              // The whole report, signature included: the fields of a completed job are the report.
              result: report,
            }),
          (error: unknown) =>
            finish(jobId, "failed", {
              progress: latest,
              error: error instanceof VermilionError ? { code: error.code, message: error.message } : { code: "INTERNAL", message: "Internal error" },
            }),
        )
        .catch(() => undefined)
        .finally(() => {
          clearInterval(heartbeat);
        });
      return jobId;
    },
    async get(jobId) {
      const { rows } = await db.query<JobRow>(
        `SELECT job_id, state, done, total, result, error,
                (state = 'running' AND updated_at < now() - make_interval(secs => $2)) AS stale
         FROM verification_jobs WHERE job_id = $1`,
        [jobId, staleAfterMs / 1000],
      );
      const row = rows[0];
      if (!row) throw new VermilionError("VERIFICATION_JOB_NOT_FOUND", { jobId });
      const view: VerificationJobView = { jobId: row.job_id, state: row.state, progress: { done: row.done, total: row.total } };
      if (row.stale) {
        const interrupted = new VermilionError("VERIFICATION_INTERRUPTED", { jobId });
        return { ...view, state: "failed", error: { code: interrupted.code, message: interrupted.message } };
      }
      return { ...view, ...row.result, ...(row.error ? { error: row.error } : {}) };
    },
  };
}
