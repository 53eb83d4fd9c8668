import type { EditionFacts, VerificationSession } from "./createVerificationSession.js";
import type { CheckResult } from "./report.js";

import { logReference } from "./createVerificationSession.js";
import { failed, passed, skipped } from "./report.js";

const NAME = "media.content";

/**
 * The edition's media: every block hashed against its CID, the file CID recomputed from the bytes, and
 * the bytes' plain SHA-256 equal to the commitment in the EditionCreated event (and in `edition()`).
 */
export async function checkMediaContent(session: VerificationSession, edition: EditionFacts): Promise<CheckResult> {
  const view = edition.view;
  if (!view) return skipped(NAME, "The edition does not exist on chain, so there is no media to check.");
  const onChainSha256 = edition.createdSha256 ?? view.contentSha256;
  const evidence: Record<string, unknown> = {
    mediaCid: view.mediaCid,
    onChainSha256,
    ...(edition.created ? { editionCreated: logReference(edition.created) } : {}),
  };
  const fail = (code: string, detail: string) => failed(NAME, code, detail, evidence);
  if (!edition.created) return fail("EDITION_CREATION_MISSING", `No EditionCreated event for edition ${view.editionId}.`);
  if (edition.createdSha256 !== view.contentSha256 || edition.createdMediaCid !== view.mediaCid) {
    return fail("EDITION_COMMITMENT_MISMATCH", "edition() and the EditionCreated event disagree about the media.");
  }
  const file = await session.mediaDigest(view.mediaCid);
  if (!file.ok) {
    if (file.kind === "cidMismatch") return fail("MEDIA_CID_MISMATCH", `Media bytes do not match their CID: ${file.detail}.`);
    return fail("MEDIA_UNAVAILABLE", `The media could not be read: ${file.detail}.`);
  }
  const { contentSha256 } = file;
  evidence.recomputedCid = file.recomputedCid;
  evidence.contentSha256 = contentSha256;
  evidence.sizeBytes = file.sizeBytes;
  if (file.recomputedCid !== file.fileCid) {
    return fail("MEDIA_CID_MISMATCH", `The media's CID recomputed from its bytes is ${file.recomputedCid}, not ${file.fileCid}.`);
  }
  if (contentSha256 !== onChainSha256) {
    return fail("MEDIA_SHA256_MISMATCH", `The media's SHA-256 is ${contentSha256}, not the ${onChainSha256} committed on chain at edition creation.`);
  }
  return passed(NAME, `The media ${view.mediaCid} (${file.sizeBytes} bytes) matches its CID and the on-chain SHA-256.`, evidence);
}
