/**
 * Runs chain writes one at a time, so two requests never pick the same nonce for the platform's
 * signer within this process. (The durable mint sender replaces this for mints; across processes a
 * database lease does.)
 */
export type WriteLock = <T>(work: () => Promise<T>) => Promise<T>;

export function createWriteLock(): WriteLock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
