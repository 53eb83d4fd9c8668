import type { Address, Hex } from "viem";
import type { VerificationReport } from "./report.js";

import { getAddress, recoverMessageAddress } from "viem";

import { serializeReport, signedPayload } from "./serializeReport.js";

/** Why a report's signature is refused: a code a reader's language can name (`reason` is the English sentence). */
export type ReportSignatureRefusal =
  | "NOT_SIGNED"
  | "UNKNOWN_SCHEME"
  | "SIGNATURE_MALFORMED"
  | "SIGNER_NOT_AN_ADDRESS"
  | "SIGNATURE_NOT_BY_SIGNER"
  | "NO_TRUSTED_SIGNER"
  | "SIGNER_NOT_NAMED";

export type CheckReportSignatureReturnType =
  | { valid: true; signer: string; canonical: boolean }
  | { valid: false; code: ReportSignatureRefusal; reason: string; canonical: boolean; signer?: string };

export interface CheckReportSignatureParameters {
  /**
   * The signers the reader trusts (an auditor's address, a platform's published report key). A valid
   * signature by anyone else is refused: anybody can sign a "pass" with a key of their own.
   */
  signers: readonly Address[];
}

/**
 * Checks a stored report: its signature recovers to the signer it names over the canonical bytes, that
 * signer is one the reader named, and (reported separately) whether the file itself is in canonical form.
 */
export async function checkReportSignature(
  reportText: string,
  report: VerificationReport,
  parameters: CheckReportSignatureParameters,
): Promise<CheckReportSignatureReturnType> {
  const canonical = serializeReport(report) === reportText || serializeReport(report) === `${reportText}\n`;
  if (!report.signature) return { valid: false, code: "NOT_SIGNED", reason: "the report is not signed", canonical };
  if (report.signature.scheme !== "EIP-191") return { valid: false, code: "UNKNOWN_SCHEME", reason: `unknown scheme ${report.signature.scheme}`, canonical };
  let recovered: string;
  try {
    recovered = await recoverMessageAddress({ message: signedPayload(report), signature: report.signature.signature as Hex });
  } catch (error) {
    return { valid: false, code: "SIGNATURE_MALFORMED", reason: `the signature is malformed: ${(error as Error).message.split("\n")[0]}`, canonical };
  }
  let named: string;
  try {
    named = getAddress(report.signature.signer);
  } catch {
    return { valid: false, code: "SIGNER_NOT_AN_ADDRESS", reason: `the signer ${report.signature.signer} is not an address`, canonical };
  }
  if (recovered !== named) return { valid: false, code: "SIGNATURE_NOT_BY_SIGNER", reason: `the signature is by ${recovered}, not by ${named}`, canonical };
  if (parameters.signers.length === 0) {
    return { valid: false, code: "NO_TRUSTED_SIGNER", reason: `signed by ${named}, but no trusted signer was named: anyone can sign a report`, canonical, signer: named };
  }
  if (!parameters.signers.some((signer) => getAddress(signer) === named)) {
    return { valid: false, code: "SIGNER_NOT_NAMED", reason: `signed by ${named}, who is not a signer you named (${parameters.signers.map((signer) => getAddress(signer)).join(", ")})`, canonical, signer: named };
  }
  return { valid: true, signer: named, canonical };
}
