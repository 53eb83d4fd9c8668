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
    expect(await checkReportSignature(text, JSON.parse(text) as TokenReport)).toEqual({
      valid: true,
      signer: privateKeyToAccount(key).address,
      canonical: true,
    });
  });

  test("any edit to the signed content, or a different named signer, is refused", async () => {
    const signed = await signReport(report, generatePrivateKey());
    const edited = { ...signed, verdict: "fail" as const };
    expect(await checkReportSignature(serializeReport(edited), edited)).toMatchObject({ valid: false });
    const renamed = { ...signed, signature: { ...signed.signature!, signer: privateKeyToAccount(generatePrivateKey()).address } };
    expect(await checkReportSignature(serializeReport(renamed), renamed)).toMatchObject({ valid: false, reason: expect.stringContaining("not by") });
    const unsigned = await checkReportSignature(serializeReport(report), report);
    expect(unsigned).toMatchObject({ valid: false, reason: "the report is not signed" });
  });

  test("the same report serializes to the same bytes whatever its key order", () => {
    const reordered = JSON.parse(JSON.stringify({ generator: report.generator, checks: report.checks, verdict: report.verdict, pinnedBlock: report.pinnedBlock, subject: report.subject, reportVersion: report.reportVersion })) as TokenReport;
    expect(serializeReport(reordered)).toBe(serializeReport(report));
  });
});
