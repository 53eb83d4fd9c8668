import type { Database } from "../../db/Database.js";
import type { AdvanceRemotePinDependencies, RemotePinOutcome } from "./advanceRemotePin.js";

import { advanceRemotePin } from "./advanceRemotePin.js";
import { claimDueRemotePins } from "./claimDueRemotePins.js";

export interface RunRemotePinRoundDependencies extends Omit<AdvanceRemotePinDependencies, "db"> {
  db: Database;
  now: () => Date;
}

export interface RunRemotePinRoundParameters {
  /** Pins claimed per round, advanced together. Default 8. */
  batchSize?: number;
  /** How long a claim lasts (default 2 min): longer than a round's requests can take with their timeouts. */
  claimMs?: number;
}

/** Claims the pins due now and advances each one step; the outcomes, one per pin claimed. */
export async function runRemotePinRound(deps: RunRemotePinRoundDependencies, parameters: RunRemotePinRoundParameters = {}): Promise<RemotePinOutcome[]> {
  const now = deps.now();
  const { claimId, pins } = await claimDueRemotePins(deps, { now, limit: parameters.batchSize ?? 8, claimMs: parameters.claimMs ?? 120_000 });
  return Promise.all(pins.map((pin) => advanceRemotePin(deps, { pin, claimId, now })));
}
