import type { EditionReport, TokenReport } from "vermilion-verify/report.js";

/**
 * An edition verification job as `GET /api/verification-jobs/:jobId` answers it (the web reads it too).
 * When completed, its report fields (subject to signature) are the edition report, signed by the
 * platform's report key: picked out and serialized canonically, they check with `--check-report`.
 */
export interface VerificationJobView extends Partial<Pick<EditionReport, "subject" | "reportVersion" | "generator" | "signature">> {
  jobId: string;
  state: "running" | "completed" | "failed";
  progress: { done: number; total: number };
  /** When completed: the edition-wide checks and each token's report. */
  checks?: EditionReport["checks"];
  reports?: TokenReport[];
  verdict?: "pass" | "fail";
  pinnedBlock?: EditionReport["pinnedBlock"];
  /** When completed: the issuer as the chain names it (version 2 reports). */
  issuer?: EditionReport["issuer"];
  /** When failed: why the verification could not run (not a failed verdict). */
  error?: { code: string; message: string };
}
