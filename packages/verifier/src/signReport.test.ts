import type { TokenReport } from "./report.js";

import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, test } from "vitest";

import { checkReportSignature } from "./checkReportSignature.js";
import { GENERATOR, REPORT_VERSION } from "./report.js";
import { serializeReport } from "./serializeReport.js";
import { signReport } from "./signReport.js";

const report: TokenReport = {
  reportVersion: REPORT_VERSION,
  subject: { chainId: 31337, contract: "0x00000000000000000000000000000000000000aA", tokenId: "1000001", editionId: "1", serial: 1 },
  pinnedBlock: { number: "12", hash: `0x${"ab".repeat(32)}` },
  verdict: "pass",
  checks: [{ name: "media.content", status: "pass", summary: "ok", evidence: { sizeBytes: 3, contentSha256: "0x01" } }],
  generator: GENERATOR,
};

describe("signReport / checkReportSignature", () => {
  test("a signed report checks out as signed by the auditor, in canonical form", async () => {
    const key = generatePrivateKey();
    const signed = await signReport(report, key);
    const text = serializeReport(signed);
    expect(await checkReportSignature(text, JSON.parse(text) as TokenReport, { signers: [privateKeyToAccount(key).address] })).toEqual({
      valid: true,
      signer: privateKeyToAccount(key).address,
      canonical: true,
    });
  });

  test("any edit to the signed content, or a different named signer, is refused", async () => {
    const key = generatePrivateKey();
    const signers = [privateKeyToAccount(key).address];
    const signed = await signReport(report, key);
    const edited = { ...signed, verdict: "fail" as const };
    expect(await checkReportSignature(serializeReport(edited), edited, { signers })).toMatchObject({ valid: false });
    const renamed = { ...signed, signature: { ...signed.signature!, signer: privateKeyToAccount(generatePrivateKey()).address } };
    expect(await checkReportSignature(serializeReport(renamed), renamed, { signers })).toMatchObject({ valid: false, reason: expect.stringContaining("not by") });
    const unsigned = await checkReportSignature(serializeReport(report), report, { signers });
    expect(unsigned).toMatchObject({ valid: false, reason: "the report is not signed" });
  });

  test("a correctly signed report by a signer the reader did not name is refused, and so is one when nobody was named", async () => {
    const forger = generatePrivateKey();
    const forged = await signReport(report, forger);
    const text = serializeReport(forged);
    const trusted = privateKeyToAccount(generatePrivateKey()).address;

    expect(await checkReportSignature(text, forged, { signers: [trusted] })).toEqual({
      valid: false,
      code: "SIGNER_NOT_NAMED",
      reason: `signed by ${privateKeyToAccount(forger).address}, who is not a signer you named (${trusted})`,
      canonical: true,
      signer: privateKeyToAccount(forger).address,
    });
    expect(await checkReportSignature(text, forged, { signers: [] })).toMatchObject({ valid: false, code: "NO_TRUSTED_SIGNER", reason: expect.stringContaining("no trusted signer was named") });
    // Named in any letter case, the right signer passes.
    expect(await checkReportSignature(text, forged, { signers: [trusted, privateKeyToAccount(forger).address.toLowerCase() as `0x${string}`] })).toMatchObject({ valid: true });
  });

  test("the same report serializes to the same bytes whatever its key order", () => {
    const reordered = JSON.parse(JSON.stringify({ generator: report.generator, checks: report.checks, verdict: report.verdict, pinnedBlock: report.pinnedBlock, subject: report.subject, reportVersion: report.reportVersion })) as TokenReport;
    expect(serializeReport(reordered)).toBe(serializeReport(report));
  });
});
