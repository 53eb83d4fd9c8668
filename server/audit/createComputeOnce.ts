import { LRUCache } from "lru-cache";

export interface CreateComputeOnceParameters<Value> {
  /** Finished values kept, by total size (`sizeOf`), least recently used dropped first. */
  maxSize: number;
  sizeOf: (value: Value) => number;
}

export interface ComputeOnce<Value> {
  /**
   * The value for `key`: a finished one, else the computation already in flight for it, else
   * `compute()` started now. A computation that fails is not kept; the next caller starts another.
   */
  get(key: string, compute: () => Promise<Value>, options?: { ttlMs?: number }): Promise<Value>;
  /** Drops a finished value (a job that failed after it was handed out). */
  forget(key: string): void;
}

/**
 * Single flight plus a bounded cache: however many clients ask for the same key at once, one
 * computation runs, and its result answers later askers until it is evicted. Keys name an immutable
 * subject (a verification at a pinned block), so a kept value never goes stale.
 */
export function createComputeOnce<Value extends NonNullable<unknown>>(parameters: CreateComputeOnceParameters<Value>): ComputeOnce<Value> {
  const finished = new LRUCache<string, Value>({ maxSize: parameters.maxSize, sizeCalculation: (value) => Math.max(1, parameters.sizeOf(value)) });
  const inFlight = new Map<string, Promise<Value>>();
  return {
    get(key, compute, options) {
      const kept = finished.get(key);
      if (kept !== undefined) return Promise.resolve(kept);
      const pending = inFlight.get(key);
      if (pending) return pending;
      // `compute` may refuse synchronously (a full queue): then nothing is registered for the key.
      const computing = compute().then((value) => {
        // A value larger than the whole cache is answered once, not kept.
        if (parameters.sizeOf(value) <= parameters.maxSize) finished.set(key, value, options?.ttlMs === undefined ? {} : { ttl: options.ttlMs });
        return value;
      });
      inFlight.set(key, computing);
      void computing.then(
        () => inFlight.delete(key),
        () => inFlight.delete(key),
      );
      return computing;
    },
    forget(key) {
      finished.delete(key);
    },
  };
}
