import type { VerificationCheck, VerificationJob, VerificationReport } from "../apiTypes.js";
import type { PageContext } from "../router.js";
import type { Address } from "viem";
import type { BrowserVerifier } from "../verify/loadBrowserVerifier.js";
import type { ChosenEndpoints } from "../verify/pageVerifyEndpoints.js";

import { ApiError, api, ipfsUrl } from "../api.js";
import { issuedByLine } from "../components/issuedBy.js";
import { checkLabel, checkSummary, statusLabel } from "../components/verificationBadge.js";
import { h, replace } from "../dom.js";
import { formatNumber } from "../format.js";
import { t } from "../i18n/i18n.js";
import { bundleCheckForm } from "../verify/bundleCheckForm.js";
import { describeProgress } from "../verify/describeProgress.js";
import { describeUnreachable } from "../verify/describeUnreachable.js";
import { endpointChoiceForm } from "../verify/endpointChoiceForm.js";
import { loadBrowserVerifier } from "../verify/loadBrowserVerifier.js";
import { chooseEndpoints, pageVerifyEndpoints } from "../verify/pageVerifyEndpoints.js";
import { refusedEndpointNotices } from "../verify/refusedEndpointNotices.js";
import { reportCheckForm } from "../verify/reportCheckForm.js";
import { trustedEndpointsList } from "../verify/trustedEndpointsList.js";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const CID_KEYS = new Set(["metadataCid", "recomputedCid", "mediaCid"]);

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const anchor = h("a", { href: url, download: name });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Evidence values as text, with CIDs and transaction hashes linked where the reader can follow them. */
function evidenceValue(key: string, value: unknown): HTMLElement {
  if (typeof value === "string" && CID_KEYS.has(key) && value) return h("a", { href: ipfsUrl(value), class: "mono" }, value);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return h("code", { class: "mono" }, String(value));
  return h("pre", { class: "evidence-json" }, JSON.stringify(value, null, 2));
}

/** One report (a token's, or an edition's own checks): verdict, subject, then each check with its evidence. */
function checksView(
  verdict: "pass" | "fail",
  title: HTMLElement,
  pinnedBlock: { number: string; hash: string } | undefined,
  checks: VerificationCheck[],
  issuer?: { address: string | null },
): HTMLElement {
  const passed = verdict === "pass";
  return h(
    "article",
    { class: "report", "data-verdict": verdict },
    h(
      "header",
      { class: "report-header" },
      h("span", { class: `badge ${passed ? "badge-pass" : "badge-fail"}` }, passed ? t("verify.pass") : t("verify.fail")),
      h("h3", null, title),
      pinnedBlock ? h("p", { class: "muted small" }, t("verify.pinnedBlock", { block: pinnedBlock.number }), " · ", h("code", { class: "mono" }, pinnedBlock.hash)) : null,
      // The issuer as the chain alone names it (report version 2): an address, no name.
      issuer?.address ? h("p", { class: "small", "data-testid": "report-issuer" }, issuedByLine({ name: null, address: issuer.address })) : null,
    ),
    h(
      "ol",
      { class: "audit-checks" },
      checks.map((check) =>
        h(
          "li",
          { class: `audit-check check-${check.status}`, "data-check": check.name },
          h("p", { class: "audit-check-head" }, h("span", { class: `badge ${check.status === "pass" ? "badge-pass" : check.status === "fail" ? "badge-fail" : "badge-neutral"}` }, statusLabel(check.status)), h("strong", null, checkLabel(check.name)), h("code", { class: "muted small" }, check.name)),
          h("p", null, checkSummary(check)),
          check.failure ? h("p", { class: "form-error" }, `${check.failure.code}: ${check.failure.detail}`) : null,
          h(
            "details",
            null,
            h("summary", null, t("audit.evidence")),
            h("dl", { class: "facts facts-wide" }, Object.entries(check.evidence).map(([key, value]) => h("div", null, h("dt", null, key), h("dd", null, evidenceValue(key, value))))),
          ),
        ),
      ),
    ),
  );
}

export function reportView(report: VerificationReport): HTMLElement {
  const title = h("a", { href: `/tokens/${report.subject.contract}/${report.subject.tokenId}` }, t("audit.subject", { tokenId: report.subject.tokenId, serial: report.subject.serial }));
  return checksView(report.verdict, title, report.pinnedBlock, report.checks, report.issuer);
}

async function pollJob(jobId: string, progress: HTMLProgressElement, label: HTMLElement): Promise<VerificationJob> {
  for (;;) {
    const job = await api<VerificationJob>(`/api/verification-jobs/${jobId}`);
    progress.max = Math.max(1, job.progress.total);
    progress.value = job.progress.done;
    label.textContent = t("job.progress", { done: formatNumber(job.progress.done), total: formatNumber(job.progress.total) });
    if (job.state !== "running") return job;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** What one verification produced, however it ran: the reports to show and the JSON to download. */
interface AuditResult {
  reports: VerificationReport[];
  editionChecks: HTMLElement | null;
  /** The endpoints an in-browser run trusted, shown above its reports. */
  trusted: HTMLElement | null;
  json: string;
}

/**
 * Runs the verifier in this browser against the reader's endpoints, drawing its progress into `output`.
 * Returns null when an endpoint could not be reached (the sentence saying which is drawn instead).
 */
async function verifyInBrowser(
  endpoints: ChosenEndpoints,
  subject: { contract: Address; id: string; asEdition: boolean },
  output: HTMLElement,
): Promise<AuditResult | null> {
  const progress = h("progress", { max: 1, value: 0, "aria-label": t("audit.progress") });
  const lines = h("ul", { class: "progress-lines small muted" });
  replace(output, h("div", { class: "job", "data-testid": "browser-progress" }, h("p", { role: "status" }, t("browserVerify.running")), subject.asEdition ? progress : null, lines));
  let verifier: BrowserVerifier;
  try {
    verifier = await loadBrowserVerifier();
  } catch (error) {
    throw new Error(t("browserVerify.loadFailed", { reason: error instanceof Error ? error.message : String(error) }), { cause: error });
  }
  const onProgress = (state: Parameters<NonNullable<Parameters<BrowserVerifier["verifyTokenInBrowser"]>[0]["onProgress"]>>[0]) => {
    if (state.tokens) {
      progress.max = Math.max(1, state.tokens.total);
      progress.value = state.tokens.done;
    }
    replace(lines, describeProgress(state).map((line) => h("li", null, line)));
  };
  if (subject.asEdition) {
    const outcome = await verifier.verifyEditionInBrowser({ endpoints, contract: subject.contract, editionId: BigInt(subject.id), onProgress });
    if (!outcome.ok) {
      replace(output, unreachableView(describeUnreachable(outcome)));
      return null;
    }
    const { report, trusted } = outcome;
    return {
      reports: report.reports,
      editionChecks: checksView(report.verdict, h("span", null, t("audit.editionSubject", { editionId: subject.id })), report.pinnedBlock, report.checks, report.issuer),
      trusted: trustedEndpointsList(trusted),
      json: JSON.stringify({ trusted, report }, null, 2),
    };
  }
  const outcome = await verifier.verifyTokenInBrowser({ endpoints, contract: subject.contract, tokenId: BigInt(subject.id), onProgress });
  if (!outcome.ok) {
    replace(output, unreachableView(describeUnreachable(outcome)));
    return null;
  }
  return { reports: [outcome.report], editionChecks: null, trusted: trustedEndpointsList(outcome.trusted), json: JSON.stringify({ trusted: outcome.trusted, report: outcome.report }, null, 2) };
}

function unreachableView(sentence: string): HTMLElement {
  return h("div", { "data-verdict": "unreachable" }, h("span", { class: "badge badge-neutral" }, t("browserVerify.cannotVerify")), h("p", { class: "form-error", role: "alert" }, sentence));
}

/** The platform's API verifies (its RPC, its IPFS store): only for a page served without endpoints. */
async function verifyThroughApi(subject: { contract: string; id: string; asEdition: boolean }, output: HTMLElement): Promise<AuditResult> {
  const { contract: address, id, asEdition } = subject;
  if (asEdition) {
    const { jobId } = await api<{ jobId: string }>(`/api/collections/${address}/editions/${id}/verify`, { method: "POST", body: {} });
    const progress = h("progress", { max: 1, value: 0, "aria-label": t("audit.progress") });
    const label = h("span", { class: "small muted" });
    replace(output, h("div", { class: "job" }, progress, label));
    const job = await pollJob(jobId, progress, label);
    if (job.state === "failed") throw new Error(job.error ? `${job.error.code}: ${job.error.message}` : t("audit.jobFailed"));
    return {
      reports: job.reports ?? [],
      editionChecks: job.checks && job.verdict ? checksView(job.verdict, h("span", null, t("audit.editionSubject", { editionId: id })), job.pinnedBlock, job.checks, job.issuer) : null,
      trusted: null,
      json: JSON.stringify(job, null, 2),
    };
  }
  const report = await api<VerificationReport>(`/api/tokens/${address}/${id}/verify`);
  return { reports: [report], editionChecks: null, trusted: null, json: JSON.stringify(report, null, 2) };
}

export default async function auditPage(context: PageContext): Promise<HTMLElement> {
  document.title = `${t("audit.title")} · Vermilion`;
  const endpoints = pageVerifyEndpoints();
  const chosen = endpoints ? chooseEndpoints(endpoints) : null;
  // The verifier's code loads as the page opens: once open, the page verifies (a token, a bundle, a
  // report's signature) whatever becomes of its server or its network.
  const verifierLoaded = loadBrowserVerifier().then((verifier) => verifier.preloadBundleProofs());
  verifierLoaded.catch(() => undefined);
  const output = h("div", { class: "audit-output", "aria-live": "polite" });
  const error = h("p", { class: "form-error", role: "alert", id: "audit-error" });
  const contract = h("input", { id: "audit-contract", name: "contract", class: "mono", placeholder: "0x…", value: context.query.get("contract") ?? "", required: true, "aria-describedby": "audit-error", autocomplete: "off" });
  const subject = h("input", { id: "audit-subject", name: "subject", inputmode: "numeric", value: context.query.get("token") ?? context.query.get("edition") ?? "", required: true, autocomplete: "off" });
  const kindToken = h("input", { type: "radio", name: "kind", value: "token", id: "kind-token", checked: !context.query.get("edition") });
  const kindEdition = h("input", { type: "radio", name: "kind", value: "edition", id: "kind-edition", checked: Boolean(context.query.get("edition")) });

  async function verify(): Promise<void> {
    error.textContent = "";
    const address = contract.value.trim();
    const id = subject.value.trim();
    if (!ADDRESS.test(address)) {
      error.textContent = t("audit.invalidContract");
      return;
    }
    if (!/^\d{1,19}$/.test(id)) {
      error.textContent = t("audit.invalidId");
      return;
    }
    const asEdition = kindEdition.checked;
    // The reader's endpoints stay in the address (a shared link verifies against the same ones).
    const url = new URL(location.href);
    for (const name of ["contract", "token", "edition"]) url.searchParams.delete(name);
    const query = new URLSearchParams({ contract: address, [asEdition ? "edition" : "token"]: id });
    url.searchParams.forEach((value, name) => query.append(name, value));
    history.replaceState(null, "", `/audit?${query.toString()}`);
    replace(output, h("p", { role: "status" }, t("verify.checking")));
    try {
      const subject = { contract: address as Address, id, asEdition };
      if (endpoints && !chosen) {
        replace(output, h("p", { class: "notice notice-warn small", role: "alert" }, t("browserVerify.noRpc")));
        return;
      }
      const result = chosen ? await verifyInBrowser(chosen, subject, output) : await verifyThroughApi(subject, output);
      if (!result) return;
      const { reports, editionChecks, json } = result;
      const editionId = asEdition ? id : reports[0]?.subject.editionId;
      replace(
        output,
        result.trusted ? h("section", { class: "panel browser-panel", "aria-label": t("browserVerify.trustedTitle"), "data-testid": "report-trusted" }, h("h2", { class: "section-title" }, t("browserVerify.trustedTitle")), result.trusted) : null,
        h(
          "div",
          { class: "report-actions" },
          h("button", { type: "button", class: "button", onclick: () => download(`vermilion-report-${address}-${id}.json`, json) }, t("audit.downloadJson")),
          editionId ? h("a", { class: "button", href: `/api/collections/${address}/editions/${editionId}/bundle.car`, download: `vermilion-${address}-edition-${editionId}.car` }, t("audit.downloadCar")) : null,
        ),
        editionChecks,
        reports.map(reportView),
      );
    } catch (caught) {
      const unavailable = caught instanceof ApiError && caught.status === 404 && caught.code === "ROUTE_NOT_FOUND";
      replace(
        output,
        unavailable
          ? h("p", { class: "badge badge-neutral", role: "alert", "data-verdict": "unavailable" }, t("verify.unavailable"))
          : h("p", { class: "form-error", role: "alert" }, caught instanceof Error ? caught.message : String(caught)),
      );
    }
  }

  if (context.query.get("contract") && (context.query.get("token") || context.query.get("edition"))) void verify();

  const page = h(
    "div",
    { class: "page" },
    h("header", { class: "page-header" }, h("p", { class: "eyebrow" }, t("audit.eyebrow")), h("h1", null, t("audit.title")), h("p", { class: "lede" }, t("audit.lede"))),
    h(
      "form",
      {
        class: "panel form-grid",
        onsubmit: (event: Event) => {
          event.preventDefault();
          void verify();
        },
      },
      h("div", { class: "field" }, h("label", { for: "audit-contract" }, t("audit.contract")), contract),
      h(
        "fieldset",
        { class: "field" },
        h("legend", null, t("audit.subjectKind")),
        h("label", { class: "radio" }, kindToken, t("audit.token")),
        h("label", { class: "radio" }, kindEdition, t("audit.edition")),
      ),
      h("div", { class: "field" }, h("label", { for: "audit-subject" }, t("audit.id")), subject),
      h("div", { class: "field field-actions" }, h("button", { type: "submit", class: "button button-primary" }, t("audit.verify"))),
      error,
    ),
    endpoints
      ? h(
          "section",
          { class: "panel browser-panel", "aria-labelledby": "browser-endpoints-title", "data-testid": "browser-endpoints" },
          h("h2", { id: "browser-endpoints-title", class: "section-title" }, t("browserVerify.title")),
          h("p", { class: "small muted" }, t("browserVerify.lede")),
          refusedEndpointNotices(endpoints.refused),
          chosen ? trustedEndpointsList(chosen) : h("p", { class: "notice notice-warn small", role: "status" }, t("browserVerify.noRpc")),
          endpointChoiceForm(endpoints, { open: chosen === null, idPrefix: "audit-endpoints" }),
        )
      : null,
    output,
    bundleCheckForm({
      endpoints,
      renderReport: (report) =>
        "reports" in report
          ? [
              checksView(report.verdict, h("span", null, t("audit.editionSubject", { editionId: report.subject.editionId })), report.pinnedBlock, report.checks, report.issuer),
              ...report.reports.map(reportView),
            ]
          : [reportView(report)],
    }),
    reportCheckForm(),
  );
  // Marks the page once the verifier's code (all of it) is here: from then on it needs no network.
  void verifierLoaded.then(() => (page.dataset.verifier = "ready"), () => undefined);
  return page;
}
