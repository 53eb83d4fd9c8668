import type { Address } from "viem";
import type { Logger } from "pino";
import type { DispatchClaimedCodesDeps } from "./dispatchClaimedCodes.js";

import { dispatchClaimedCodes } from "./dispatchClaimedCodes.js";

export interface ClaimDispatcherDeps extends DispatchClaimedCodesDeps {
  logger: Pick<Logger, "warn">;
  /** Wakes the mint sender of a key that was just given a job. */
  wakeSender: (sender: Address) => void;
}

export interface ClaimDispatcherParameters {
  /**
   * How long the first claim of a burst waits for others to share its job (default 1 s): claims
   * arriving together become a few airdrops of up to 200 recipients rather than one transaction each.
   */
  gatherMs?: number;
  /** How often claimed codes left by a crash or another instance are looked for (default 5 s). */
  sweepEveryMs?: number;
}

export interface ClaimDispatcher {
  /** Called after each claim: dispatches once the debounce has passed. */
  wake(): void;
  start(): void;
  /** Stops after the current round. */
  stop(): Promise<void>;
}

/**
 * Runs `dispatchClaimedCodes` in every instance: `gatherMs` after the first claim of a burst (later
 * claims join that round rather than push it back, so a steady stream is dispatched once per
 * `gatherMs`) and on a periodic sweep (claims whose instance died before dispatching them). Rounds never
 * overlap in one instance; across instances SKIP LOCKED shares the codes.
 */
export function createClaimDispatcher(deps: ClaimDispatcherDeps, parameters: ClaimDispatcherParameters = {}): ClaimDispatcher {
  const gatherMs = parameters.gatherMs ?? 1_000;
  const sweepEveryMs = parameters.sweepEveryMs ?? 5_000;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  /** A claim's round is scheduled: later claims of the burst join it rather than push it back. */
  let wakeScheduled = false;
  let round: Promise<void> = Promise.resolve();

  const runRound = async (): Promise<void> => {
    try {
      // A full job leaves codes behind: go on until a round finds none.
      for (;;) {
        const { jobs, failures } = await dispatchClaimedCodes(deps);
        for (const job of jobs) deps.wakeSender(job.sender);
        for (const failure of failures) {
          deps.logger.warn({ err: failure.error, collection: failure.collection, editionId: failure.editionId.toString() }, "claimed codes of an edition could not be dispatched; the next round retries");
        }
        if (jobs.length === 0 || !running) return;
      }
    } catch (error) {
      deps.logger.warn({ err: error }, "claim dispatch failed; the next round retries");
    }
  };

  const schedule = (delayMs: number): void => {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(fire, delayMs);
  };
  function fire(): void {
    wakeScheduled = false;
    round = round.then(runRound).then(() => {
      if (!wakeScheduled) schedule(sweepEveryMs);
    });
  }

  return {
    wake() {
      if (!running || wakeScheduled) return;
      wakeScheduled = true;
      schedule(gatherMs);
    },
    start() {
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await round;
    },
  };
}
