/** The names of the checks a report carries, in the order they run. */
export type CheckName =
  | "contract.identity"
  | "issuer.admin"
  | "issuer.platformKey"
  | "mint.operator"
  | "history.transfers"
  | "metadata.content"
  | "media.content"
  | "edition.facts"
  | "api.provenance"
  | "bundle.chainData"
  | "bundle.proofs";

export type CheckStatus = "pass" | "fail" | "skip";

/** Plain JSON: bigints travel as decimal strings so the report serializes canonically. */
export type Evidence = Record<string, unknown>;

/** One named check with its evidence; `failure` only when it failed. */
export interface CheckResult {
  name: CheckName;
  status: CheckStatus;
  /** One English sentence a person can read. */
  summary: string;
  evidence: Evidence;
  failure?: { code: string; detail: string };
}

export interface PinnedBlock {
  number: string;
  hash: string;
}

export interface ReportSignature {
  signer: string;
  scheme: "EIP-191";
  signature: string;
}

export const GENERATOR = { name: "vermilion-verify", version: "0.1.0" } as const;
/**
 * 2 (issue 18) adds `issuer` and the checks `issuer.admin`, `issuer.platformKey` and `mint.operator`.
 * A version 1 report (or bundle) is re-derived as version 1, so what was signed before still reproduces.
 */
export const REPORT_VERSION = 2;
export type ReportVersion = 1 | typeof REPORT_VERSION;

/** Who issued the collection, per the chain alone (report version 2). */
export interface ReportIssuer {
  /** The collection's admin at the pinned block (checksummed); null when no account holds the role. */
  address: string | null;
}

/** A token's verification report (docs/verification.md, the contract with the web front end). */
export interface TokenReport {
  reportVersion: ReportVersion;
  subject: { chainId: number; contract: string; tokenId: string; editionId: string; serial: number };
  /** Absent from version 1 reports. */
  issuer?: ReportIssuer;
  pinnedBlock: PinnedBlock;
  verdict: "pass" | "fail";
  checks: CheckResult[];
  generator: typeof GENERATOR;
  signature?: ReportSignature;
}

/** Every token of an edition verified at one pinned block. */
export interface EditionReport {
  reportVersion: ReportVersion;
  subject: { chainId: number; contract: string; editionId: string };
  /** Absent from version 1 reports. */
  issuer?: ReportIssuer;
  pinnedBlock: PinnedBlock;
  verdict: "pass" | "fail";
  /** Checks about the edition as a whole (serials unique across the edition). */
  checks: CheckResult[];
  reports: TokenReport[];
  generator: typeof GENERATOR;
  signature?: ReportSignature;
}

export type VerificationReport = TokenReport | EditionReport;

/** Pass only when no check failed (skipped checks follow a failed identity, which already fails it). */
export function verdictOf(checks: readonly CheckResult[]): "pass" | "fail" {
  return checks.some((check) => check.status === "fail") ? "fail" : "pass";
}

export function passed(name: CheckName, summary: string, evidence: Evidence): CheckResult {
  return { name, status: "pass", summary, evidence };
}

export function failed(name: CheckName, code: string, detail: string, evidence: Evidence): CheckResult {
  return { name, status: "fail", summary: detail, evidence, failure: { code, detail } };
}

export function skipped(name: CheckName, summary: string): CheckResult {
  return { name, status: "skip", summary, evidence: {} };
}
