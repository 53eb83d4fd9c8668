import type { Hex } from "viem";
import type { VerificationReport } from "./report.js";

import { getAddress, recoverMessageAddress } from "viem";

import { serializeReport, signedPayload } from "./serializeReport.js";

export type CheckReportSignatureReturnType =
  | { valid: true; signer: string; canonical: boolean }
  | { valid: false; reason: string; canonical: boolean };

/**
 * Checks a stored report: its signature recovers to the signer it names over the canonical bytes, and
 * (reported separately) whether the file itself is in canonical form.
 */
export async function checkReportSignature(reportText: string, report: VerificationReport): Promise<CheckReportSignatureReturnType> {
  const canonical = serializeReport(report) === reportText || serializeReport(report) === `${reportText}\n`;
  if (!report.signature) return { valid: false, reason: "the report is not signed", canonical };
  if (report.signature.scheme !== "EIP-191") return { valid: false, reason: `unknown scheme ${report.signature.scheme}`, canonical };
  let recovered: string;
  try {
    recovered = await recoverMessageAddress({ message: signedPayload(report), signature: report.signature.signature as Hex });
  } catch (error) {
    return { valid: false, reason: `the signature is malformed: ${(error as Error).message.split("\n")[0]}`, canonical };
  }
  let named: string;
  try {
    named = getAddress(report.signature.signer);
  } catch {
    return { valid: false, reason: `the signer ${report.signature.signer} is not an address`, canonical };
  }
  if (recovered !== named) return { valid: false, reason: `the signature is by ${recovered}, not by ${named}`, canonical };
  return { valid: true, signer: named, canonical };
}
