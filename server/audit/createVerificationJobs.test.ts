import type { TestDatabase } from "../../test/support/openTestDatabase.js";
import type { EditionReport } from "vermilion-verify/report.js";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { VermilionError } from "../errors/VermilionError.js";
import { createVerificationJobs } from "./createVerificationJobs.js";

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase("pglite");
});

afterAll(async () => {
  await database?.dispose();
});

async function waitFor<T>(read: () => Promise<T>, until: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (until(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("createVerificationJobs", () => {
  test("reports progress while running, then the reports, to any instance", async () => {
    const jobs = createVerificationJobs({ db: database.db });
    const otherInstance = createVerificationJobs({ db: database.db });
    let finish!: (report: EditionReport) => void;
    const jobId = await jobs.start((onProgress) => {
      onProgress({ done: 1, total: 2 });
      return new Promise((resolve) => (finish = resolve));
    });
    const running = await waitFor(() => otherInstance.get(jobId), (job) => job.progress.done === 1);
    expect(running).toMatchObject({ jobId, state: "running", progress: { done: 1, total: 2 } });

    const issuer = { address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" };
    finish({ verdict: "pass", checks: [], reports: [], pinnedBlock: { number: "1", hash: "0x01" }, issuer } as unknown as EditionReport);
    const completed = await waitFor(() => otherInstance.get(jobId), (job) => job.state !== "running");
    expect(completed).toMatchObject({ state: "completed", verdict: "pass", reports: [], pinnedBlock: { number: "1", hash: "0x01" }, issuer });
  });

  test("a run that throws is a failed job with the error's code, and unknown ids are VERIFICATION_JOB_NOT_FOUND", async () => {
    const jobs = createVerificationJobs({ db: database.db });
    const jobId = await jobs.start(async () => {
      throw new VermilionError("CHAIN_UNAVAILABLE", { reason: "down" });
    });
    const failed = await waitFor(() => jobs.get(jobId), (job) => job.state !== "running");
    expect(failed).toMatchObject({ state: "failed", error: { code: "CHAIN_UNAVAILABLE" } });
    await expect(jobs.get("00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "VERIFICATION_JOB_NOT_FOUND" });
  });

  test("a job whose process stopped beating reads as failed with VERIFICATION_INTERRUPTED", async () => {
    // A row as a crashed instance leaves it: running, last heard from two minutes ago.
    const jobId = "11111111-1111-4111-8111-111111111111";
    await database.db.query(
      "INSERT INTO verification_jobs (job_id, state, done, total, updated_at) VALUES ($1, 'running', 3, 10, now() - interval '2 minutes')",
      [jobId],
    );
    const jobs = createVerificationJobs({ db: database.db, staleAfterMs: 60_000 });
    expect(await jobs.get(jobId)).toMatchObject({ state: "failed", progress: { done: 3, total: 10 }, error: { code: "VERIFICATION_INTERRUPTED" } });
  });
});
