import type { VerificationCheck, VerificationJob, VerificationReport } from "../apiTypes.js";
import type { PageContext } from "../router.js";

import { ApiError, api, ipfsUrl } from "../api.js";
import { issuedByLine } from "../components/issuedBy.js";
import { checkLabel, checkSummary, statusLabel } from "../components/verificationBadge.js";
import { h, replace } from "../dom.js";
import { formatNumber } from "../format.js";
import { t } from "../i18n/i18n.js";

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

export default async function auditPage(context: PageContext): Promise<HTMLElement> {
  document.title = `${t("audit.title")} · Vermilion`;
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
    history.replaceState(null, "", `/audit?contract=${address}&${asEdition ? "edition" : "token"}=${id}`);
    replace(output, h("p", { role: "status" }, t("verify.checking")));
    try {
      let reports: VerificationReport[];
      let editionChecks: HTMLElement | null = null;
      let json: string;
      if (asEdition) {
        const { jobId } = await api<{ jobId: string }>(`/api/collections/${address}/editions/${id}/verify`, { method: "POST", body: {} });
        const progress = h("progress", { max: 1, value: 0, "aria-label": t("audit.progress") });
        const label = h("span", { class: "small muted" });
        replace(output, h("div", { class: "job" }, progress, label));
        const job = await pollJob(jobId, progress, label);
        if (job.state === "failed") throw new Error(job.error ? `${job.error.code}: ${job.error.message}` : t("audit.jobFailed"));
        reports = job.reports ?? [];
        if (job.checks && job.verdict) editionChecks = checksView(job.verdict, h("span", null, t("audit.editionSubject", { editionId: id })), job.pinnedBlock, job.checks, job.issuer);
        json = JSON.stringify(job, null, 2);
      } else {
        reports = [await api<VerificationReport>(`/api/tokens/${address}/${id}/verify`)];
        json = JSON.stringify(reports[0], null, 2);
      }
      const editionId = asEdition ? id : reports[0]?.subject.editionId;
      replace(
        output,
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

  return h(
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
    output,
  );
}
