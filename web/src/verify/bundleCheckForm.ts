import type { Address, Hex } from "viem";
import type { EditionReport, TokenReport } from "vermilion-verify/report.js";
import type { VerifyEndpoints } from "./pageVerifyEndpoints.js";

import { h, replace } from "../dom.js";
import { formatNumber } from "../format.js";
import { t } from "../i18n/i18n.js";
import { loadBrowserVerifier } from "./loadBrowserVerifier.js";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BLOCK_HASH = /^0x[0-9a-fA-F]{64}$/;

export interface BundleCheckFormParameters {
  /** The page's endpoints: their factory (the platform's, or the reader's choice) is offered; the reader may type another. */
  endpoints: VerifyEndpoints | null;
  /** How a finished report is drawn (the audit page's views: an edition's own checks, then each token's). */
  renderReport: (report: TokenReport | EditionReport) => HTMLElement[];
}

/**
 * Verifies a provenance bundle (`bundle.car`) in the browser with no network: the reader picks the file,
 * pastes the pinned block's hash as they know it from a source of their own, and the bundle's proofs
 * are checked against that hash before anything in it is believed.
 */
export function bundleCheckForm(parameters: BundleCheckFormParameters): HTMLElement {
  const file = h("input", { type: "file", id: "bundle-check-file", accept: ".car,application/vnd.ipld.car", required: true });
  const blockHash = h("input", { id: "bundle-check-block", class: "mono", placeholder: "0x…", autocomplete: "off", spellcheck: "false" });
  const factory = h("input", { id: "bundle-check-factory", class: "mono", value: parameters.endpoints?.factory ?? "", autocomplete: "off", spellcheck: "false" });
  const token = h("input", { id: "bundle-check-token", inputmode: "numeric", autocomplete: "off" });
  const output = h("div", { "aria-live": "polite", "data-testid": "bundle-check-result" });

  const refuse = (message: string) => replace(output, h("p", { class: "form-error", role: "alert" }, message));

  async function check(): Promise<void> {
    const hash = blockHash.value.trim();
    if (hash !== "" && !BLOCK_HASH.test(hash)) return refuse(t("offline.badBlockHash"));
    if (!ADDRESS.test(factory.value.trim())) return refuse(t("browserVerify.invalidFactory"));
    const tokenId = token.value.trim();
    if (tokenId !== "" && !/^\d{1,30}$/.test(tokenId)) return refuse(t("audit.invalidId"));
    const chosen = file.files?.[0];
    if (!chosen) return refuse(t("offline.noFile"));

    const status = h("p", { role: "status" }, t("browserVerify.running"));
    replace(output, status);
    const verifier = await loadBrowserVerifier();
    const outcome = await verifier.verifyBundleInBrowser({
      car: new Uint8Array(await chosen.arrayBuffer()),
      ...(hash !== "" ? { trustedBlockHash: hash.toLowerCase() as Hex } : {}),
      factory: factory.value.trim() as Address,
      ...(tokenId !== "" ? { tokenId: BigInt(tokenId) } : {}),
      onProgress: ({ done, total }) => (status.textContent = t("browserVerify.progressTokens", { done: formatNumber(done), total: formatNumber(total) })),
    });
    if (!outcome.ok) {
      replace(
        output,
        h("div", { class: "notice notice-warn", role: "alert", "data-verdict": "refused", "data-code": outcome.code }, h("strong", null, t("offline.bundleRefused")), " ", h("code", null, outcome.code), h("p", { class: "small" }, outcome.message)),
      );
      return;
    }
    replace(
      output,
      h(
        "p",
        { class: "small", "data-testid": "bundle-anchor" },
        outcome.trustedBlockHash
          ? t("offline.anchorTrusted", { block: outcome.pinnedBlock.number, hash: outcome.trustedBlockHash })
          : t("offline.anchorBundle", { block: outcome.pinnedBlock.number, hash: outcome.pinnedBlock.hash }),
      ),
      parameters.renderReport(outcome.report),
    );
  }

  return h(
    "form",
    {
      class: "panel form-grid offline-form",
      "aria-labelledby": "bundle-check-title",
      "data-testid": "bundle-check",
      onsubmit: (event: Event) => {
        event.preventDefault();
        void check().catch((error: unknown) => refuse(error instanceof Error ? error.message : String(error)));
      },
    },
    h("h2", { id: "bundle-check-title", class: "section-title" }, t("offline.bundleTitle")),
    h("p", { class: "small muted" }, t("offline.bundleLede")),
    h("div", { class: "field" }, h("label", { for: "bundle-check-file" }, t("offline.bundleFile")), file),
    h("div", { class: "field" }, h("label", { for: "bundle-check-block" }, t("offline.blockHash")), blockHash, h("p", { class: "small muted" }, t("offline.blockHashHint"))),
    h("div", { class: "field" }, h("label", { for: "bundle-check-factory" }, t("browserVerify.factory")), factory),
    h("div", { class: "field" }, h("label", { for: "bundle-check-token" }, t("offline.bundleToken")), token),
    h("div", { class: "field field-actions" }, h("button", { type: "submit", class: "button" }, t("offline.checkBundle"))),
    output,
  );
}
