import type { VerificationSession } from "./createVerificationSession.js";
import type { CheckResult, EditionReport, TokenReport } from "./report.js";

import { failed, GENERATOR, passed, skipped, verdictOf } from "./report.js";
import { verifyToken } from "./verifyToken.js";
import { encodeTokenId } from "./shared/tokenIds.js";


export interface VerifyEditionParameters {
  editionId: bigint;
  /** Called after each token with how many are done out of how many. */
  onProgress?: (progress: { done: number; total: number }) => void;
}

/**
 * Verifies every minted serial of an edition at one pinned block, in serial order, plus what only the
 * whole edition shows: the minted serials are exactly 1..mintedCount, each once, and no two metadata
 * documents claim the same serial.
 */
export async function verifyEdition(session: VerificationSession, parameters: VerifyEditionParameters): Promise<EditionReport> {
  const { chain } = session.deps;
  const { editionId } = parameters;
  const identity = await session.identity();
  const edition = identity.check.status === "pass" ? await session.edition(editionId) : null;
  const total = edition?.view ? Number(edition.view.mintedCount) : 0;
  const reports: TokenReport[] = [];
  parameters.onProgress?.({ done: 0, total });
  for (let serial = 1; serial <= total; serial++) {
    reports.push(await verifyToken(session, encodeTokenId(editionId, serial)));
    parameters.onProgress?.({ done: serial, total });
  }

  const checks: CheckResult[] = [identity.check];
  const withIssuer = session.reportVersion >= 2;
  let issuer: EditionReport["issuer"] = { address: null };
  if (identity.check.status === "pass") {
    if (!edition?.view) {
      checks.push(failed("edition.facts", "EDITION_NOT_ON_CHAIN", `Edition ${editionId} does not exist at the pinned block.`, { editionId: editionId.toString() }));
    } else {
      const claimed = new Map<string, number>();
      for (const report of reports) {
        const metadata = report.checks.find((check) => check.name === "metadata.content");
        const provenance = metadata?.evidence.provenance as { serial?: number } | undefined;
        if (provenance?.serial !== undefined) claimed.set(String(provenance.serial), (claimed.get(String(provenance.serial)) ?? 0) + 1);
      }
      const duplicated = [...claimed.entries()].filter(([, count]) => count > 1).map(([serial]) => serial);
      const mintCounts = reports.map((report) => report.checks.find((check) => check.name === "edition.facts")?.evidence.mintCount);
      const evidence = {
        editionId: editionId.toString(),
        maxSupply: edition.view.maxSupply.toString(),
        mintedCount: edition.view.mintedCount.toString(),
        sealed: edition.view.isSealed,
        serialsVerified: reports.length,
      };
      if (duplicated.length > 0) {
        checks.push(failed("edition.facts", "SERIAL_NOT_UNIQUE", `Metadata documents claim serials ${duplicated.join(", ")} more than once.`, evidence));
      } else if (mintCounts.some((count) => count !== 1)) {
        checks.push(failed("edition.facts", "SERIAL_NOT_UNIQUE", "Some serial was not minted exactly once.", evidence));
      } else {
        checks.push(passed("edition.facts", `Serials 1..${reports.length} of ${edition.view.maxSupply} each minted once and described once.`, evidence));
      }
    }
    if (withIssuer) {
      const roles = await session.issuerRoles();
      issuer = roles.issuer;
      checks.push(...roles.checks);
    }
  } else if (withIssuer) {
    for (const name of ["issuer.admin", "issuer.platformKey"] as const) checks.push(skipped(name, "Skipped: the contract is not a verified Vermilion collection."));
  }
  return {
    reportVersion: session.reportVersion,
    subject: { chainId: await chain.getChainId(), contract: session.contract, editionId: editionId.toString() },
    ...(withIssuer ? { issuer } : {}),
    pinnedBlock: { number: chain.pinnedBlock.number, hash: chain.pinnedBlock.hash },
    verdict: verdictOf(checks) === "pass" && reports.every((report) => report.verdict === "pass") ? "pass" : "fail",
    checks,
    reports,
    generator: GENERATOR,
  };
}
