import type { EditionReport } from "./report.js";

import { describe, expect, test } from "vitest";

import { VermilionError, isVermilionError } from "../errors/VermilionError.js";
import { createVerificationJobs } from "./createVerificationJobs.js";

describe("createVerificationJobs", () => {
  test("reports progress while running, then the reports; refuses jobs past maxRunning with VERIFICATION_BUSY", async () => {
    const jobs = createVerificationJobs({ maxRunning: 1 });
    let finish!: (report: EditionReport) => void;
    const jobId = jobs.start((onProgress) => {
      onProgress({ done: 1, total: 2 });
      return new Promise((resolve) => (finish = resolve));
    });
    expect(jobs.get(jobId)).toMatchObject({ state: "running", progress: { done: 1, total: 2 } });
    let refused: unknown;
    try {
      jobs.start(() => new Promise(() => undefined));
    } catch (error) {
      refused = error;
    }
    expect(isVermilionError(refused, "VERIFICATION_BUSY")).toBe(true);

    finish({ verdict: "pass", checks: [], reports: [], pinnedBlock: { number: "1", hash: "0x01" } } as unknown as EditionReport);
    await new Promise((resolve) => setImmediate(resolve));
    expect(jobs.get(jobId)).toMatchObject({ state: "completed", verdict: "pass", reports: [] });
  });

  test("a run that throws is a failed job with the error's code, and unknown ids are VERIFICATION_JOB_NOT_FOUND", async () => {
    const jobs = createVerificationJobs();
    const jobId = jobs.start(async () => {
      throw new VermilionError("CHAIN_UNAVAILABLE", { reason: "down" });
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(jobs.get(jobId)).toMatchObject({ state: "failed", error: { code: "CHAIN_UNAVAILABLE" } });
    expect(() => jobs.get("00000000-0000-4000-8000-000000000000")).toThrow(expect.objectContaining({ code: "VERIFICATION_JOB_NOT_FOUND" }));
  });
});
