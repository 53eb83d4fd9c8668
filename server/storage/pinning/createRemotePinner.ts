import type { Logger } from "pino";
import type { RemotePinOutcome } from "./advanceRemotePin.js";
import type { RunRemotePinRoundDependencies, RunRemotePinRoundParameters } from "./runRemotePinRound.js";

import { runRemotePinRound } from "./runRemotePinRound.js";

export interface RemotePinnerDependencies extends RunRemotePinRoundDependencies {
  logger: Pick<Logger, "warn" | "error" | "info">;
  /** Told of every step that failed, by code (the failures metric). */
  onFailure?: (code: string) => void;
}

export interface RemotePinnerParameters extends RunRemotePinRoundParameters {
  /** Longest wait between looks at the table when nothing is due sooner (default 5 s): new editions, other instances. */
  idleMs?: number;
}

export interface RemotePinner {
  start(): void;
  /** Stops after the current round. */
  stop(): Promise<void>;
}

/**
 * Runs `runRemotePinRound` in every instance (SKIP LOCKED shares the pins out) until nothing is due,
 * then sleeps until the soonest next attempt, at most `idleMs`. Rounds never overlap in one instance.
 */
export function createRemotePinner(deps: RemotePinnerDependencies, parameters: RemotePinnerParameters = {}): RemotePinner {
  const idleMs = parameters.idleMs ?? 5_000;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  let roundScheduled = false;

  const report = (outcome: RemotePinOutcome): void => {
    if (!outcome.errorCode || !outcome.recorded) return;
    deps.onFailure?.(outcome.errorCode);
    if (outcome.state === "rejected") {
      deps.logger.error({ cid: outcome.cid, code: outcome.errorCode }, "the pinning service refused a pin; it is not retried until the next start");
    } else {
      deps.logger.warn({ cid: outcome.cid, code: outcome.errorCode }, "remote pinning failed; retried with backoff");
    }
  };

  /** Milliseconds until the soonest unfinished pin is due, at most idleMs. */
  const untilNextDue = async (): Promise<number> => {
    const { rows } = await deps.db.query<{ next_attempt_at: Date | null }>(
      "SELECT min(next_attempt_at) AS next_attempt_at FROM remote_pins WHERE state IN ('pending', 'queued', 'pinning', 'failed')",
    );
    const next = rows[0]?.next_attempt_at;
    return next ? Math.min(idleMs, Math.max(0, next.getTime() - deps.now().getTime())) : idleMs;
  };

  const runRounds = async (): Promise<void> => {
    let delayMs = idleMs;
    try {
      for (;;) {
        const outcomes = await runRemotePinRound(deps, parameters);
        outcomes.forEach(report);
        if (outcomes.length === 0 || !running) break;
      }
      delayMs = await untilNextDue();
    } catch (error) {
      deps.logger.warn({ err: error }, "a remote pinning round failed; the next one retries");
    }
    schedule(delayMs);
  };

  const schedule = (delayMs: number): void => {
    if (!running || roundScheduled) return;
    clearTimeout(timer);
    roundScheduled = true;
    timer = setTimeout(() => {
      roundScheduled = false;
      round = round.then(runRounds);
    }, delayMs);
  };

  return {
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
