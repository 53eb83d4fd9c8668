import type { MintJob } from "../apiTypes.js";
import type { TrackedJob } from "./session.js";

import { ApiError, api } from "../api.js";
import { h, replace } from "../dom.js";
import { formatNumber, formatPercent } from "../format.js";
import { t } from "../i18n/i18n.js";
import { readTrackedJobs } from "./session.js";

const POLL_MS = 1000;

function stateLabel(state: MintJob["state"]): string {
  switch (state) {
    case "queued":
      return t("job.queued");
    case "sending":
      return t("job.sending");
    case "completed":
      return t("job.completed");
    case "failed":
      return t("job.failed");
  }
}

function jobRow(tracked: TrackedJob, apiKey: string, isAlive: () => boolean, onCompleted: (job: MintJob) => void): HTMLElement {
  const progress = h("progress", { max: 1, value: 0, "aria-label": t("job.progressLabel", { jobId: tracked.jobId.slice(0, 8) }) });
  const status = h("span", { class: "job-state" }, t("job.queued"));
  const numbers = h("span", { class: "job-numbers small muted" });
  const detail = h("div", { class: "job-detail small" });
  const row = h(
    "li",
    { class: "job", "data-job-id": tracked.jobId },
    h(
      "p",
      { class: "job-head" },
      h("strong", null, tracked.kind === "airdrop" ? t("job.airdrop") : t("job.mint")),
      h("span", { class: "muted small" }, t("job.ofEdition", { editionId: tracked.editionId })),
      status,
    ),
    progress,
    numbers,
    detail,
  );
  let wasRunning = false;
  const poll = async (): Promise<void> => {
    if (!isAlive()) return;
    try {
      const job = await api<MintJob>(`/api/jobs/${tracked.jobId}`, { apiKey });
      const total = Math.max(1, job.progress.total);
      progress.max = total;
      progress.value = job.progress.done;
      status.textContent = stateLabel(job.state);
      status.className = `job-state badge ${job.state === "completed" ? "badge-pass" : job.state === "failed" ? "badge-fail" : "badge-neutral"}`;
      row.dataset.state = job.state;
      numbers.textContent = t("job.progress", { done: formatNumber(job.progress.done), total: formatNumber(job.progress.total) }) + ` · ${formatPercent(job.progress.done / total)}`;
      if (job.state === "failed" && job.error) replace(detail, h("span", { class: "form-error" }, job.error.code));
      if (job.state === "completed" && job.tokenIds.length > 0) {
        const first = job.tokenIds[0]!;
        replace(detail, h("a", { href: `/tokens/${job.collection}/${first}` }, t("job.firstToken", { tokenId: first })));
      }
      if (job.state === "queued" || job.state === "sending") {
        wasRunning = true;
        setTimeout(() => void poll(), POLL_MS);
      } else if (wasRunning && job.state === "completed") {
        onCompleted(job);
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        status.textContent = t("job.unknown");
        return;
      }
      setTimeout(() => void poll(), POLL_MS * 3);
    }
  };
  void poll();
  return row;
}

/** The jobs this browser submitted, each polled until it ends; reading them from storage survives a reload. */
export function jobList(apiKey: string, isAlive: () => boolean, onCompleted: (job: MintJob) => void): { element: HTMLElement; refresh: () => void } {
  const list = h("ol", { class: "job-list" });
  const element = h("section", { class: "panel", "aria-labelledby": "jobs-title" }, h("h3", { id: "jobs-title" }, t("job.title")), list);
  const refresh = () => {
    const jobs = readTrackedJobs();
    replace(list, jobs.length > 0 ? jobs.map((job) => jobRow(job, apiKey, isAlive, onCompleted)) : h("li", { class: "muted" }, t("job.none")));
  };
  refresh();
  return { element, refresh };
}
