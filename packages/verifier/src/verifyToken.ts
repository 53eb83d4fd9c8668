import type { VerificationSession } from "./createVerificationSession.js";
import type { CheckResult, TokenReport } from "./report.js";

import { checkApiProvenance } from "./checkApiProvenance.js";
import { checkEditionFacts } from "./checkEditionFacts.js";
import { checkMediaContent } from "./checkMediaContent.js";
import { checkMetadataContent } from "./checkMetadataContent.js";
import { checkMintOperator } from "./checkMintOperator.js";
import { checkTransferHistory } from "./checkTransferHistory.js";
import { decodeTokenId } from "./shared/tokenIds.js";
import { GENERATOR, skipped, verdictOf } from "./report.js";


/**
 * Verifies one token end to end and returns its report. When the contract is not a Vermilion
 * collection, the other checks are skipped: nothing it says can be read as ours.
 */
export async function verifyToken(session: VerificationSession, tokenId: bigint): Promise<TokenReport> {
  const { chain } = session.deps;
  const { editionId, serial } = decodeTokenId(tokenId);
  const identity = await session.identity();
  const checks: CheckResult[] = [identity.check];
  const withIssuer = session.reportVersion >= 2;
  let issuer: TokenReport["issuer"] = { address: null };
  if (identity.check.status !== "pass") {
    const reason = "Skipped: the contract is not a verified Vermilion collection.";
    for (const name of ["history.transfers", "metadata.content", "media.content", "edition.facts"] as const) checks.push(skipped(name, reason));
    if (withIssuer) for (const name of ["issuer.admin", "issuer.platformKey", "mint.operator"] as const) checks.push(skipped(name, reason));
    if (session.deps.api) checks.push(skipped("api.provenance", reason));
  } else {
    const [history, edition] = await Promise.all([checkTransferHistory(session, tokenId), session.edition(editionId)]);
    checks.push(history.check);
    checks.push(await checkMetadataContent(session, { tokenId, editionId, serial, edition, burned: history.burned }));
    checks.push(await checkMediaContent(session, edition));
    checks.push(await checkEditionFacts(session, { tokenId, editionId, serial, edition, history }));
    if (withIssuer) {
      const roles = await session.issuerRoles();
      issuer = roles.issuer;
      checks.push(...roles.checks, await checkMintOperator(session, { tokenId, events: history.events }));
    }
    if (session.deps.api) {
      const api = await session.deps.api(session.contract, tokenId);
      checks.push(checkApiProvenance({ api, pinnedBlockNumber: BigInt(chain.pinnedBlock.number), editionId, serial, edition, history }));
    }
  }
  return {
    reportVersion: session.reportVersion,
    subject: { chainId: await chain.getChainId(), contract: session.contract, tokenId: tokenId.toString(), editionId: editionId.toString(), serial },
    ...(withIssuer ? { issuer } : {}),
    pinnedBlock: { number: chain.pinnedBlock.number, hash: chain.pinnedBlock.hash },
    verdict: verdictOf(checks),
    checks,
    generator: GENERATOR,
  };
}
