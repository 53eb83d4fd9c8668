import type { Address } from "viem";
import type { VerificationResult } from "../components/verificationBadge.js";

import { fetchTokenVerification, verificationBadge } from "../components/verificationBadge.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n/i18n.js";
import { describeProgress } from "./describeProgress.js";
import { describeUnreachable } from "./describeUnreachable.js";
import { endpointChoiceForm } from "./endpointChoiceForm.js";
import { loadBrowserVerifier, type BrowserVerifier } from "./loadBrowserVerifier.js";
import { chooseEndpoints, pageVerifyEndpoints } from "./pageVerifyEndpoints.js";
import { refusedEndpointNotices } from "./refusedEndpointNotices.js";
import { trustedEndpointsList } from "./trustedEndpointsList.js";

export interface TokenVerificationPanelParameters {
  contract: Address;
  tokenId: string;
  /** False once the reader has left the page: a late verdict must not paint. */
  isCurrent: () => boolean;
  /** The verdict in words, for the printable certificate. */
  onVerdict: (text: string) => void;
}

function platformVerdictText(result: VerificationResult): string {
  if (result.kind !== "report") return t("browserVerify.platformUnavailable");
  return result.report.verdict === "pass" ? t("verify.pass") : t("verify.fail");
}

/**
 * The token page's verdict, computed in the reader's browser against the endpoints this page was
 * served with (the platform's unless the reader chose others), with what it trusted, a way to run it
 * again and to choose other endpoints; the platform's own API verdict follows as a secondary line.
 * Without endpoints (a page not served by the platform's web router) the API's verdict is the badge.
 */
export function tokenVerificationPanel(parameters: TokenVerificationPanelParameters): HTMLElement {
  const endpoints = pageVerifyEndpoints();
  const platformLine = h("p", { class: "small muted", "data-testid": "platform-verdict" }, t("browserVerify.platformVerdict"), " ", h("span", null, t("verify.checking")));
  const platformVerdict = fetchTokenVerification(parameters.contract, parameters.tokenId);

  if (!endpoints) {
    const slot = h("div", { class: "verification-slot", "aria-live": "polite" }, h("span", { class: "badge badge-neutral" }, t("verify.checking")));
    void platformVerdict.then((result) => {
      if (!parameters.isCurrent()) return;
      replace(slot, verificationBadge(result));
      parameters.onVerdict(result.kind === "report" ? platformVerdictText(result) : t("verify.unavailable"));
    });
    return slot;
  }

  void platformVerdict.then((result) => {
    if (parameters.isCurrent()) replace(platformLine, t("browserVerify.platformVerdict"), " ", h("span", { "data-platform-verdict": result.kind === "report" ? result.report.verdict : "unavailable" }, platformVerdictText(result)));
  });
  const chosen = chooseEndpoints(endpoints);
  const verdict = h("div", { class: "browser-verdict", "aria-live": "polite" });
  const trusted = h("div", { class: "browser-trusted" });
  const again = h("button", { type: "button", class: "button button-small", "data-testid": "verify-again", disabled: true }, t("browserVerify.again"));
  const panel = h(
    "section",
    { class: "verification-slot browser-verification", "data-testid": "browser-verification", "data-state": "loading", "aria-label": t("browserVerify.title") },
    h("p", { class: "eyebrow" }, t("browserVerify.title")),
    refusedEndpointNotices(endpoints.refused),
    verdict,
    trusted,
    h("div", { class: "verification-actions" }, chosen ? again : null),
    endpointChoiceForm(endpoints, { open: chosen === null, idPrefix: "token-endpoints" }),
    platformLine,
  );
  const setState = (state: string) => (panel.dataset.state = state);

  if (!chosen) {
    setState("no-rpc");
    replace(verdict, h("p", { class: "notice notice-warn small", role: "status" }, t("browserVerify.noRpc")));
    parameters.onVerdict(t("verify.unavailable"));
    return panel;
  }
  replace(trusted, trustedEndpointsList(chosen));

  const runOnce = async () => {
    again.disabled = true;
    setState("running");
    const progressLines = h("ul", { class: "progress-lines small muted" });
    const status = h("span", { class: "badge badge-neutral" }, t("browserVerify.loading"));
    replace(verdict, h("p", { role: "status" }, status), progressLines);
    let verifier: BrowserVerifier;
    try {
      verifier = await loadBrowserVerifier();
      status.textContent = t("browserVerify.running");
    } catch (error) {
      if (!parameters.isCurrent()) return;
      setState("error");
      replace(verdict, h("p", { class: "form-error", role: "alert" }, t("browserVerify.loadFailed", { reason: error instanceof Error ? error.message : String(error) })));
      again.disabled = false;
      return;
    }
    try {
      const outcome = await verifier.verifyTokenInBrowser({
        endpoints: chosen,
        contract: parameters.contract,
        tokenId: BigInt(parameters.tokenId),
        onProgress: (progress) => replace(progressLines, describeProgress(progress).map((line) => h("li", null, line))),
      });
      if (!parameters.isCurrent()) return;
      if (!outcome.ok) {
        setState("unreachable");
        replace(verdict, h("span", { class: "badge badge-neutral", "data-verdict": "unreachable" }, t("browserVerify.cannotVerify")), h("p", { class: "form-error", role: "alert" }, describeUnreachable(outcome)));
        parameters.onVerdict(t("browserVerify.cannotVerify"));
        return;
      }
      setState(outcome.report.verdict);
      replace(verdict, verificationBadge({ kind: "report", report: outcome.report }));
      replace(trusted, trustedEndpointsList(outcome.trusted));
      parameters.onVerdict(outcome.report.verdict === "pass" ? t("verify.pass") : t("verify.fail"));
    } catch (error) {
      if (!parameters.isCurrent()) return;
      setState("error");
      const message = error instanceof Error ? error.message : String(error);
      replace(verdict, verificationBadge({ kind: "error", message }));
      parameters.onVerdict(t("verify.unavailable"));
    } finally {
      again.disabled = false;
    }
  };
  again.addEventListener("click", () => void runOnce());
  void runOnce();
  return panel;
}
