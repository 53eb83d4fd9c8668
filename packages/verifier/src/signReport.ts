import type { Hex } from "viem";
import type { VerificationReport } from "./report.js";

import { privateKeyToAccount } from "viem/accounts";

import { signedPayload } from "./serializeReport.js";

/**
 * Signs a report with the auditor's key (EIP-191 personal message over the report's canonical bytes
 * without the signature), so anyone can later check who vouched for exactly these bytes.
 */
export async function signReport<Report extends VerificationReport>(report: Report, privateKey: Hex): Promise<Report> {
  const account = privateKeyToAccount(privateKey);
  const signature = await account.signMessage({ message: signedPayload(report) });
  return { ...report, signature: { signer: account.address, scheme: "EIP-191", signature } };
}
