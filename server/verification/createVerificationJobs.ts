import type { EditionReport, TokenReport } from "./report.js";

import { randomUUID } from "node:crypto";

import { VermilionError } from "../errors/VermilionError.js";

export interface VerificationJobView {
  jobId: string;
  state: "running" | "completed" | "failed";
  progress: { done: number; total: number };
  /** When completed: the edition-wide checks and each token's report. */
  checks?: EditionReport["checks"];
  reports?: TokenReport[];
  verdict?: "pass" | "fail";
  pinnedBlock?: EditionReport["pinnedBlock"];
  /** When failed: why the verification could not run (not a failed verdict). */
  error?: { code: string; message: string };
}

export interface VerificationJobs {
  /** Starts `run` in the background and returns its job id at once. */
  start(run: (onProgress: (progress: { done: number; total: number }) => void) => Promise<EditionReport>): string;
  get(jobId: string): VerificationJobView;
}

/**
 * Edition verifications in flight or recently finished, in memory: a job is a convenience for a page
 * that shows progress, and anyone can rerun it, so it is not worth a table. Oldest finished jobs are
 * dropped past `maxJobs`; past `maxRunning` jobs at once, new ones are refused with VERIFICATION_BUSY.
 */
export function createVerificationJobs(parameters: { maxJobs?: number; maxRunning?: number } = {}): VerificationJobs {
  const maxJobs = parameters.maxJobs ?? 100;
  // Each job reads the whole edition from the chain and the store; a few at once is plenty.
  const maxRunning = parameters.maxRunning ?? 4;
  const jobs = new Map<string, VerificationJobView>();
  const prune = () => {
    for (const [jobId, job] of jobs) {
      if (jobs.size <= maxJobs) break;
      if (job.state !== "running") jobs.delete(jobId);
    }
  };
  return {
    start(run) {
      const running = [...jobs.values()].filter((job) => job.state === "running").length;
      if (running >= maxRunning) throw new VermilionError("VERIFICATION_BUSY", { running });
      const jobId = randomUUID();
      const job: VerificationJobView = { jobId, state: "running", progress: { done: 0, total: 0 } };
      jobs.set(jobId, job);
      prune();
      run((progress) => {
        job.progress = progress;
      }).then(
        (report) => {
          Object.assign(job, { state: "completed", checks: report.checks, reports: report.reports, verdict: report.verdict, pinnedBlock: report.pinnedBlock });
        },
        (error: unknown) => {
          job.state = "failed";
          job.error =
            error instanceof VermilionError ? { code: error.code, message: error.message } : { code: "INTERNAL", message: "Internal error" };
        },
      );
      return jobId;
    },
    get(jobId) {
      const job = jobs.get(jobId);
      if (!job) throw new VermilionError("VERIFICATION_JOB_NOT_FOUND", { jobId });
      return job;
    },
  };
}
