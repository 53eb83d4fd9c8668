/** How long to wait between tries, and between status polls of an accepted request. */
export interface RemotePinBackoff {
  /** First retry after a failure; doubled per failure in a row. Default 5 s. */
  retryBaseMs: number;
  /** No retry waits longer (a service down for a day still gets its pins within this of its return). Default 1 h. */
  retryMaxMs: number;
  /** First status poll of an accepted request; doubled per poll. Default 5 s. */
  pollBaseMs: number;
  /** Default 5 min. */
  pollMaxMs: number;
}

export const DEFAULT_REMOTE_PIN_BACKOFF: RemotePinBackoff = {
  retryBaseMs: 5_000,
  retryMaxMs: 3_600_000,
  pollBaseMs: 5_000,
  pollMaxMs: 300_000,
};

/** Exponential: base · 2^(n−1) for the n-th failure (or poll), capped. */
export function exponentialDelayMs(baseMs: number, maxMs: number, count: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(count - 1, 0), 30));
}
