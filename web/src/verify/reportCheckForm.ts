import type { Address } from "viem";
import type { SignedReportCheck } from "./runVerifierInBrowser.js";

import { api } from "../api.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n/i18n.js";
import { loadBrowserVerifier } from "./loadBrowserVerifier.js";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** A refusal in the reader's language (the library's own reason is English). */
function refusalText(refusal: Extract<SignedReportCheck, { ok: false }>): string {
  const signer = refusal.signer ?? "";
  switch (refusal.code) {
    case "NOT_JSON":
      return t("offline.refusal.NOT_JSON");
    case "NOT_A_REPORT":
      return t("offline.refusal.NOT_A_REPORT");
    case "NOT_SIGNED":
      return t("offline.refusal.NOT_SIGNED");
    case "UNKNOWN_SCHEME":
      return t("offline.refusal.UNKNOWN_SCHEME");
    case "SIGNATURE_MALFORMED":
      return t("offline.refusal.SIGNATURE_MALFORMED");
    case "SIGNER_NOT_AN_ADDRESS":
      return t("offline.refusal.SIGNER_NOT_AN_ADDRESS");
    case "SIGNATURE_NOT_BY_SIGNER":
      return t("offline.refusal.SIGNATURE_NOT_BY_SIGNER");
    case "NO_TRUSTED_SIGNER":
      return t("offline.refusal.NO_TRUSTED_SIGNER", { signer });
    case "SIGNER_NOT_NAMED":
      return t("offline.refusal.SIGNER_NOT_NAMED", { signer });
  }
}

/**
 * Checks a stored report's signature in the browser, accepting only the signers the reader names (one per
 * line). The platform's published report key is offered, labelled as trusting this platform; a report
 * signed by anybody else, however valid the signature, is refused.
 */
export function reportCheckForm(): HTMLElement {
  const file = h("input", { type: "file", id: "report-check-file", accept: "application/json,.json", required: true });
  const signers = h("textarea", { id: "report-check-signers", class: "mono", rows: 2, spellcheck: "false", autocomplete: "off", placeholder: "0x…" });
  const platformKey = h("p", { class: "small muted", "data-testid": "report-key" });
  const output = h("div", { "aria-live": "polite", "data-testid": "report-check-result" });

  // The platform's key, if it is up; a reader who trusts someone else types their address instead.
  void api<{ address: string }>("/api/report-key").then(
    ({ address }) => {
      if (signers.value.trim() === "") signers.value = address;
      replace(platformKey, t("offline.platformKey", { address }), " ", h("span", { class: "badge badge-warn small", "data-trust": "platform" }, t("browserVerify.trustingPlatform")));
    },
    () => replace(platformKey, t("offline.noPlatformKey")),
  );

  async function check(): Promise<void> {
    const named = signers.value.split(/[\s,]+/).filter(Boolean);
    const bad = named.find((signer) => !ADDRESS.test(signer));
    if (bad !== undefined) {
      replace(output, h("p", { class: "form-error", role: "alert" }, t("offline.badSigner", { value: bad })));
      return;
    }
    const chosen = file.files?.[0];
    if (!chosen) {
      replace(output, h("p", { class: "form-error", role: "alert" }, t("offline.noFile")));
      return;
    }
    replace(output, h("p", { role: "status" }, t("browserVerify.running")));
    const verifier = await loadBrowserVerifier();
    const result = await verifier.checkSignedReport(await chosen.text(), named as Address[]);
    replace(
      output,
      result.ok
        ? h(
            "p",
            { class: "notice notice-success", role: "status", "data-signature": "accepted" },
            t("offline.reportAccepted", { signer: result.signer, verdict: result.verdict === "pass" ? t("verify.pass") : t("verify.fail") }),
          )
        : h(
            "p",
            // Each refusal is named in the reader's language by its code; the library's English sentence is the title.
            { class: "notice notice-warn", role: "alert", "data-signature": "refused", "data-refusal": result.code, title: result.reason },
            result.signer && result.code === "SIGNER_NOT_NAMED"
              ? t("offline.reportNotNamed", { signer: result.signer })
              : t("offline.reportRefused", { reason: refusalText(result) }),
          ),
    );
  }

  return h(
    "form",
    {
      class: "panel form-grid offline-form",
      "aria-labelledby": "report-check-title",
      "data-testid": "report-check",
      onsubmit: (event: Event) => {
        event.preventDefault();
        void check().catch((error: unknown) => replace(output, h("p", { class: "form-error", role: "alert" }, error instanceof Error ? error.message : String(error))));
      },
    },
    h("h2", { id: "report-check-title", class: "section-title" }, t("offline.reportTitle")),
    h("p", { class: "small muted" }, t("offline.reportLede")),
    h("div", { class: "field" }, h("label", { for: "report-check-file" }, t("offline.reportFile")), file),
    h("div", { class: "field" }, h("label", { for: "report-check-signers" }, t("offline.signers")), signers, platformKey),
    h("div", { class: "field field-actions" }, h("button", { type: "submit", class: "button" }, t("offline.checkReport"))),
    output,
  );
}
