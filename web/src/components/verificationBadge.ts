import type { VerificationCheck, VerificationReport } from "../apiTypes.js";

import { ApiError, api } from "../api.js";
import { h } from "../dom.js";
import { locale, t } from "../i18n/i18n.js";

export type VerificationResult = { kind: "report"; report: VerificationReport } | { kind: "unavailable" } | { kind: "error"; message: string };

/**
 * GET /api/tokens/:address/:tokenId/verify. A 404 that is the route missing (ROUTE_NOT_FOUND, or a
 * server without the verifier) reads as "verification unavailable", not as a failure.
 */
export async function fetchTokenVerification(address: string, tokenId: string): Promise<VerificationResult> {
  try {
    return { kind: "report", report: await api<VerificationReport>(`/api/tokens/${address}/${tokenId}/verify`) };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 501 || error.status === 503)) return { kind: "unavailable" };
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
}

const CHECK_LABELS: Record<string, () => string> = {
  "contract.identity": () => t("check.contractIdentity"),
  "history.transfers": () => t("check.historyTransfers"),
  "metadata.content": () => t("check.metadataContent"),
  "media.content": () => t("check.mediaContent"),
  "edition.facts": () => t("check.editionFacts"),
  "api.provenance": () => t("check.apiProvenance"),
  "issuer.admin": () => t("attribution.checkIssuerAdmin"),
  "issuer.platformKey": () => t("attribution.checkIssuerPlatformKey"),
  "mint.operator": () => t("attribution.checkMintOperator"),
  "bundle.proofs": () => t("offline.checkBundleProofs"),
  "bundle.chainData": () => t("offline.checkBundleChainData"),
};

// What each check establishes, in the reader's language. The report's own `summary` is English with
// the specifics (CIDs, counts); Chinese readers get this sentence, and the failure code beside it.
const CHECK_SUMMARIES: Record<string, Record<"pass" | "fail", () => string>> = {
  "contract.identity": {
    pass: () => t("checkSummary.contractIdentityPass"),
    fail: () => t("checkSummary.contractIdentityFail"),
  },
  "history.transfers": {
    pass: () => t("checkSummary.historyTransfersPass"),
    fail: () => t("checkSummary.historyTransfersFail"),
  },
  "metadata.content": {
    pass: () => t("checkSummary.metadataContentPass"),
    fail: () => t("checkSummary.metadataContentFail"),
  },
  "media.content": {
    pass: () => t("checkSummary.mediaContentPass"),
    fail: () => t("checkSummary.mediaContentFail"),
  },
  "edition.facts": {
    pass: () => t("checkSummary.editionFactsPass"),
    fail: () => t("checkSummary.editionFactsFail"),
  },
  "api.provenance": {
    pass: () => t("checkSummary.apiProvenancePass"),
    fail: () => t("checkSummary.apiProvenanceFail"),
  },
  "issuer.admin": {
    pass: () => t("attribution.summaryIssuerAdminPass"),
    fail: () => t("attribution.summaryIssuerAdminFail"),
  },
  "issuer.platformKey": {
    pass: () => t("attribution.summaryIssuerPlatformKeyPass"),
    fail: () => t("attribution.summaryIssuerPlatformKeyFail"),
  },
  "mint.operator": {
    pass: () => t("attribution.summaryMintOperatorPass"),
    fail: () => t("attribution.summaryMintOperatorFail"),
  },
  "bundle.proofs": {
    pass: () => t("offline.summaryBundleProofsPass"),
    fail: () => t("offline.summaryBundleProofsFail"),
  },
  "bundle.chainData": {
    pass: () => t("offline.summaryBundleChainDataPass"),
    fail: () => t("offline.summaryBundleChainDataFail"),
  },
};

/** The check's summary: the report's English sentence for English readers, ours in other languages. */
export function checkSummary(check: VerificationCheck): string {
  if (locale() === "en") return check.summary;
  if (check.status === "skip") return t("checkSummary.skipped", { reason: check.summary });
  return CHECK_SUMMARIES[check.name]?.[check.status]() ?? check.summary;
}

export function checkLabel(name: string): string {
  return CHECK_LABELS[name]?.() ?? name;
}

export function statusLabel(status: VerificationCheck["status"]): string {
  return status === "pass" ? t("verify.statusPass") : status === "fail" ? t("verify.statusFail") : t("verify.statusSkip");
}

/** The verdict as a badge; with a report, the checks behind it in a disclosure. */
export function verificationBadge(result: VerificationResult): HTMLElement {
  if (result.kind !== "report") {
    const text = result.kind === "unavailable" ? t("verify.unavailable") : t("verify.error", { message: result.message });
    return h("div", { class: "verification" }, h("span", { class: "badge badge-neutral", "data-verdict": "unavailable" }, text));
  }
  const { report } = result;
  const passed = report.verdict === "pass";
  return h(
    "div",
    { class: "verification" },
    h(
      "details",
      { class: "verification-details" },
      h(
        "summary",
        null,
        h("span", { class: `badge ${passed ? "badge-pass" : "badge-fail"}`, "data-verdict": report.verdict }, h("span", { "aria-hidden": "true" }, passed ? "✓ " : "✕ "), passed ? t("verify.pass") : t("verify.fail")),
        h("span", { class: "verification-more" }, t("verify.showChecks", { count: report.checks.length })),
      ),
      h(
        "ul",
        { class: "check-list" },
        report.checks.map((check) =>
          h(
            "li",
            { class: `check check-${check.status}`, "data-check": check.name },
            h("span", { class: "check-status" }, statusLabel(check.status)),
            h("span", { class: "check-name" }, checkLabel(check.name)),
            h("span", { class: "check-summary" }, checkSummary(check)),
            check.failure ? h("code", { class: "check-failure" }, `${check.failure.code}: ${check.failure.detail}`) : null,
          ),
        ),
      ),
      h("p", { class: "muted small" }, t("verify.pinnedBlock", { block: report.pinnedBlock.number }), " · ", h("a", { href: `/audit?contract=${report.subject.contract}&token=${report.subject.tokenId}` }, t("verify.fullReport"))),
    ),
  );
}
