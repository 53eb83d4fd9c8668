import type { VerificationReport } from "./report.js";

import { canonicalJson } from "./shared/canonicalJson.js";

/**
 * The report's canonical bytes: sorted keys, no whitespace, a final newline. The same inputs give the
 * same bytes, and a signature covers exactly `serializeReport(report without signature)`.
 */
export function serializeReport(report: VerificationReport): string {
  return `${canonicalJson(report)}\n`;
}

/** The bytes a signature covers: the report without its `signature` field. */
export function signedPayload(report: VerificationReport): string {
  const { signature: _signature, ...unsigned } = report;
  return serializeReport(unsigned as VerificationReport);
}
