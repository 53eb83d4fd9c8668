import { VermilionError } from "../errors/VermilionError.js";

export interface CreateVerificationAdmissionParameters {
  /** Verifications computed at once in this process (each reads chain and store and hashes content). */
  maxRunning: number;
  /** Verifications waiting for a slot; past this, VERIFICATION_QUEUE_FULL (503). */
  maxQueued: number;
  /** Running plus waiting verifications one client may hold; past this, VERIFICATION_BUSY (429). */
  maxPerClient: number;
  /** Told the running and waiting counts whenever they change (a metrics gauge). */
  onLoad?: (load: { running: number; queued: number }) => void;
}

/** A place in the queue, held by one client until its work settles. */
export interface AdmissionTicket {
  /** Runs `work` once a slot is free, then frees the slot and the client's place. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Gives the place back unused (the work could not be started); a no-op after `run`. */
  cancel(): void;
}

export interface VerificationAdmission {
  /**
   * Takes a place for `clientKey` now, or throws at once: VERIFICATION_BUSY when the client holds its
   * share already, VERIFICATION_QUEUE_FULL when every slot and queue place is taken. Both carry
   * `retryAfterSeconds`, an estimate from how long recent verifications took.
   */
  reserve(clientKey: string): AdmissionTicket;
  /** Running and waiting verifications, for metrics. */
  load(): { running: number; queued: number };
}

// Until a verification has finished, a guess at how long one takes.
const INITIAL_ESTIMATE_MS = 2_000;
const MAX_RETRY_AFTER_SECONDS = 300;

/**
 * Bounds unauthenticated verification work: at most `maxRunning` at once, `maxQueued` waiting in
 * arrival order, and `maxPerClient` of either per client, so one client cannot hold every slot. A
 * refusal is immediate, never a hung request.
 */
export function createVerificationAdmission(parameters: CreateVerificationAdmissionParameters): VerificationAdmission {
  const { maxRunning, maxQueued, maxPerClient } = parameters;
  const held = new Map<string, number>();
  const waiting: Array<() => void> = [];
  let running = 0;
  let averageMs = INITIAL_ESTIMATE_MS;
  const reportLoad = () => parameters.onLoad?.({ running, queued: waiting.length });

  const retryAfterSeconds = (ahead: number) =>
    Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(((Math.floor(ahead / maxRunning) + 1) * averageMs) / 1000)));

  const release = (clientKey: string) => {
    const count = (held.get(clientKey) ?? 1) - 1;
    if (count === 0) held.delete(clientKey);
    else held.set(clientKey, count);
  };

  return {
    reserve(clientKey) {
      const mine = held.get(clientKey) ?? 0;
      if (mine >= maxPerClient) {
        throw new VermilionError("VERIFICATION_BUSY", { limit: maxPerClient, retryAfterSeconds: retryAfterSeconds(waiting.length) });
      }
      if (running >= maxRunning && waiting.length >= maxQueued) {
        throw new VermilionError("VERIFICATION_QUEUE_FULL", { queued: waiting.length, retryAfterSeconds: retryAfterSeconds(waiting.length) });
      }
      held.set(clientKey, mine + 1);
      // The slot is claimed now when one is free, so a burst of reservations cannot overshoot maxRunning.
      const slot: Promise<void> =
        running < maxRunning
          ? (running++, Promise.resolve())
          : new Promise<void>((resolve) => waiting.push(() => (running++, resolve())));
      reportLoad();
      let used = false;
      const ticket: AdmissionTicket = {
        async run(work) {
          used = true;
          await slot;
          const startedMs = Date.now();
          try {
            return await work();
          } finally {
            averageMs = averageMs * 0.8 + (Date.now() - startedMs) * 0.2;
            running -= 1;
            release(clientKey);
            waiting.shift()?.();
            reportLoad();
          }
        },
        cancel() {
          if (!used) void ticket.run(() => Promise.resolve());
        },
      };
      return ticket;
    },
    load: () => ({ running, queued: waiting.length }),
  };
}
