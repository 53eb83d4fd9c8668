import type { JobList, JobSummary, MintJob } from "../apiTypes.js";

import { api } from "../api.js";
import { h, replace } from "../dom.js";
import { formatDateTime, formatNumber, formatPercent } from "../format.js";
import { t } from "../i18n/i18n.js";

const POLL_MS = 1000;
const PAGE_SIZE = 10;

function isRunning(job: JobSummary): boolean {
  return job.state === "queued" || job.state === "building" || job.state === "sending";
}

function stateLabel(state: JobSummary["state"]): string {
  switch (state) {
    case "queued":
      return t("job.queued");
    case "building":
      return t("console.jobBuilding");
    case "sending":
      return t("job.sending");
    case "completed":
      return t("job.completed");
    case "failed":
      return t("job.failed");
  }
}

function kindLabel(kind: JobSummary["kind"]): string {
  switch (kind) {
    case "mint":
      return t("job.mint");
    case "airdrop":
      return t("job.airdrop");
    case "edition":
      return t("console.jobEdition");
  }
}

function jobRow(job: JobSummary, firstTokenOf: (job: JobSummary) => Promise<string | null>): HTMLElement {
  const total = Math.max(1, job.progress.total);
  const progress = h("progress", { max: total, value: job.progress.done, "aria-label": t("job.progressLabel", { jobId: job.jobId.slice(0, 8) }) });
  const amounts = { done: formatNumber(job.progress.done), total: formatNumber(job.progress.total) };
  const numbers = h(
    "span",
    { class: "job-numbers small muted" },
    `${job.progress.unit === "documents" ? t("console.jobDocuments", amounts) : t("job.progress", amounts)} · ${formatPercent(job.progress.done / total)}`,
  );
  const detail = h("div", { class: "job-detail small" });
  if (job.state === "failed" && job.error) replace(detail, h("span", { class: "form-error" }, job.error.code));
  // Why a job has stopped moving, while the condition may pass (a revoked key, a spent gas budget, a pause).
  if (job.waiting && isRunning(job)) {
    replace(
      detail,
      h("span", { class: "notice", "data-waiting": job.waiting.code }, t("console.jobWaiting", { code: job.waiting.code, since: formatDateTime(Date.parse(job.waiting.since) / 1000) })),
    );
  }
  if (job.state === "completed" && job.kind !== "edition") {
    void firstTokenOf(job).then((first) => {
      if (first) replace(detail, h("a", { href: `/tokens/${job.collection}/${first}` }, t("job.firstToken", { tokenId: first })));
    });
  }
  if (job.state === "completed" && job.kind === "edition" && job.editionId) {
    replace(detail, h("a", { href: `/collections/${job.collection}/editions/${job.editionId}` }, t("issuer.viewEdition")));
  }
  const stateBadge = `job-state badge ${job.state === "completed" ? "badge-pass" : job.state === "failed" ? "badge-fail" : "badge-neutral"}`;
  return h(
    "li",
    { class: "job", "data-job-id": job.jobId, "data-state": job.state, "data-kind": job.kind },
    h(
      "p",
      { class: "job-head" },
      h("strong", null, kindLabel(job.kind)),
      job.editionId ? h("span", { class: "muted small" }, t("job.ofEdition", { editionId: job.editionId })) : null,
      h("span", { class: stateBadge }, stateLabel(job.state)),
    ),
    progress,
    numbers,
    detail,
  );
}

/**
 * The issuer's jobs as the platform lists them (GET /api/jobs), newest first: whatever browser or
 * script submitted them. Polled while one is running; `refresh` after submitting one.
 */
export function jobList(apiKey: string, isAlive: () => boolean, onCompleted: (job: JobSummary) => void): { element: HTMLElement; refresh: () => void } {
  const list = h("ol", { class: "job-list" });
  const more = h("button", { type: "button", class: "button button-small", hidden: true }, t("console.jobsOlder"));
  const element = h("section", { class: "panel", "aria-labelledby": "jobs-title" }, h("h3", { id: "jobs-title" }, t("job.title")), list, more);
  /** The first token of a completed mint job, read once (the list has no token ids). */
  const firstTokens = new Map<string, Promise<string | null>>();
  const firstTokenOf = (job: JobSummary) => {
    if (!firstTokens.has(job.jobId)) {
      firstTokens.set(job.jobId, api<MintJob>(`/api/jobs/${job.jobId}`, { apiKey }).then((full) => full.tokenIds[0] ?? null, () => null));
    }
    return firstTokens.get(job.jobId)!;
  };
  /**
   * Each job's state as last drawn. A job completing after the list first loaded updates the edition's
   * count, whether it was seen running or (a quick job, or an answer that lost the race to a newer one)
   * first appears completed.
   */
  const lastState = new Map<string, JobSummary["state"]>();
  let loadedOnce = false;
  let older: JobSummary[] = [];
  let olderCursor: string | null = null;
  let newest: JobList = { jobs: [], nextCursor: null };
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Polls overlap (a refresh while the timer's poll is in flight) and may answer out of order: only the latest one's answer is drawn. */
  let latestPoll = 0;

  const render = () => {
    const jobs = [...newest.jobs, ...older.filter((job) => !newest.jobs.some((recent) => recent.jobId === job.jobId))];
    replace(list, jobs.length > 0 ? jobs.map((job) => jobRow(job, firstTokenOf)) : h("li", { class: "muted" }, t("console.jobsNone")));
    more.hidden = (older.length > 0 ? olderCursor : newest.nextCursor) === null;
  };

  const poll = async (): Promise<void> => {
    clearTimeout(timer);
    if (!isAlive()) return;
    const thisPoll = ++latestPoll;
    let answer: JobList;
    try {
      answer = await api<JobList>(`/api/jobs?limit=${PAGE_SIZE}`, { apiKey });
    } catch {
      if (thisPoll === latestPoll) timer = setTimeout(() => void poll(), POLL_MS * 3);
      return;
    }
    if (thisPoll !== latestPoll) return;
    newest = answer;
    for (const job of newest.jobs) {
      const before = lastState.get(job.jobId);
      lastState.set(job.jobId, job.state);
      if (loadedOnce && job.state === "completed" && before !== "completed") onCompleted(job);
    }
    loadedOnce = true;
    render();
    if (newest.jobs.some(isRunning)) timer = setTimeout(() => void poll(), POLL_MS);
  };

  more.addEventListener("click", async () => {
    const cursor = older.length > 0 ? olderCursor : newest.nextCursor;
    if (!cursor) return;
    const page = await api<JobList>(`/api/jobs?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}`, { apiKey });
    older = [...older, ...page.jobs];
    olderCursor = page.nextCursor;
    render();
  });

  void poll();
  return { element, refresh: () => void poll() };
}
