const KEY_STORAGE = "vermilion.issuerKey";
const JOBS_STORAGE = "vermilion.jobs";

/** The console's API key: kept for this tab only (sessionStorage), so it survives a reload but not the browser. */
export function readApiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function saveApiKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage refused: the key lives in memory for this page.
  }
}

export interface TrackedJob {
  jobId: string;
  collection: string;
  editionId: string;
  kind: "mint" | "airdrop";
  submittedAt: string;
}

/** Jobs this browser submitted, newest first: the console follows them again after a reload. */
export function readTrackedJobs(): TrackedJob[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(JOBS_STORAGE) ?? "[]") as unknown;
    return Array.isArray(parsed) ? (parsed as TrackedJob[]) : [];
  } catch {
    return [];
  }
}

export function trackJob(job: TrackedJob): void {
  const jobs = [job, ...readTrackedJobs().filter((existing) => existing.jobId !== job.jobId)].slice(0, 50);
  try {
    localStorage.setItem(JOBS_STORAGE, JSON.stringify(jobs));
  } catch {
    // Not persisted; the job still shows until the page is left.
  }
}
