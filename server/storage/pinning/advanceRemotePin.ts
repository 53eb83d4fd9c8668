import type { Queryable } from "../../db/Database.js";
import type { ClaimedRemotePin, RemotePinState } from "./claimDueRemotePins.js";
import type { PinningServiceClient, PinStatusResponse } from "./pinningServiceClient.js";
import type { RemotePinBackoff } from "./remotePinBackoff.js";

import { VermilionError } from "../../errors/VermilionError.js";
import { exponentialDelayMs } from "./remotePinBackoff.js";

export interface AdvanceRemotePinDependencies {
  db: Queryable;
  client: PinningServiceClient;
  backoff: RemotePinBackoff;
  /** Multiaddrs the service may fetch the content from (the spec's `origins`); none: it finds providers itself. */
  origins?: string[];
}

export interface AdvanceRemotePinParameters {
  pin: ClaimedRemotePin;
  claimId: string;
  now: Date;
}

/** What one step did to a pin; `errorCode` when the step failed (retried or not, as `state` says). */
export interface RemotePinOutcome {
  cid: string;
  state: RemotePinState;
  errorCode?: string;
  /** False when another instance had claimed the pin meanwhile (this claim had expired): nothing written. */
  recorded: boolean;
}

/**
 * Advances one claimed pin by one step and records the result under its claim:
 * 1. Nothing asked yet (pending), or the service gave up (failed): adopt a request the service already
 *    has for the CID (GET /pins?cid=…, so a crash between POST and our write never pins twice), else
 *    POST /pins.
 * 2. Asked (queued, pinning): GET /pins/{requestid}; pinned is done; still queued or pinning is polled
 *    again later (exponential); failed is asked again after a backoff; unknown to the service (404) is
 *    asked again at once.
 * 3. A retryable failure (429, 5xx, network, timeout, an answer not the spec's) keeps the state and waits
 *    base · 2^(failures−1), capped, or the service's Retry-After if longer.
 * 4. A final one (a refused token, any other 4xx) makes the pin `rejected`, with its code: it is not
 *    tried again until the next start (`reopenRejectedRemotePins`), since only a person can fix it.
 */
export async function advanceRemotePin(deps: AdvanceRemotePinDependencies, parameters: AdvanceRemotePinParameters): Promise<RemotePinOutcome> {
  const { pin, now } = parameters;
  const { backoff } = deps;
  const at = (delayMs: number) => new Date(now.getTime() + delayMs);
  const retryLater = (attempts: number, retryAfterMs = 0) => at(Math.max(exponentialDelayMs(backoff.retryBaseMs, backoff.retryMaxMs, attempts), retryAfterMs));
  let next: PinRow;
  try {
    if (pin.state === "pending" || pin.state === "failed") {
      const [existing] = await deps.client.findPins({ cid: pin.cid, statuses: ["queued", "pinning", "pinned"] });
      const status = existing ?? (await deps.client.addPin({ cid: pin.cid, name: pin.name, ...(deps.origins ? { origins: deps.origins } : {}) }));
      next = afterStatus(pin, status, { polls: 0, now, backoff, retryLater });
    } else {
      const status = pin.requestId === null ? undefined : await deps.client.getPin(pin.requestId);
      next =
        status === undefined
          ? { ...unchanged(pin), state: "pending", requestId: null, polls: 0, nextAttemptAt: now }
          : afterStatus(pin, status, { polls: pin.polls + 1, now, backoff, retryLater });
    }
  } catch (error) {
    const failure =
      error instanceof VermilionError ? error : new VermilionError("PINNING_SERVICE_UNAVAILABLE", { reason: String(error) }, { cause: error });
    const attempts = pin.attempts + 1;
    const retryAfterMs = typeof failure.details.retryAfterMs === "number" ? failure.details.retryAfterMs : 0;
    next = failure.retryable
      ? { ...unchanged(pin), attempts, nextAttemptAt: retryLater(attempts, Math.min(retryAfterMs, backoff.retryMaxMs)), errorCode: failure.code, error: failure.message }
      : { ...unchanged(pin), state: "rejected", attempts, nextAttemptAt: now, errorCode: failure.code, error: failure.message };
  }
  const recorded = await recordRemotePin(deps.db, { cid: pin.cid, claimId: parameters.claimId, row: next });
  return { cid: pin.cid, state: next.state, ...(next.errorCode ? { errorCode: next.errorCode } : {}), recorded };
}

interface PinRow {
  state: RemotePinState;
  requestId: string | null;
  attempts: number;
  polls: number;
  nextAttemptAt: Date;
  errorCode: string | null;
  error: string | null;
}

function unchanged(pin: ClaimedRemotePin): PinRow {
  return { state: pin.state, requestId: pin.requestId, attempts: pin.attempts, polls: pin.polls, nextAttemptAt: new Date(0), errorCode: null, error: null };
}

/** The row after the service answered `status` for the pin's request. */
function afterStatus(
  pin: ClaimedRemotePin,
  status: PinStatusResponse,
  context: { polls: number; now: Date; backoff: RemotePinBackoff; retryLater: (attempts: number) => Date },
): PinRow {
  const base = { ...unchanged(pin), requestId: status.requestid, polls: context.polls };
  switch (status.status) {
    case "pinned":
      return { ...base, state: "pinned", attempts: 0, nextAttemptAt: context.now };
    case "queued":
    case "pinning":
      return {
        ...base,
        state: status.status,
        nextAttemptAt: new Date(context.now.getTime() + exponentialDelayMs(context.backoff.pollBaseMs, context.backoff.pollMaxMs, context.polls + 1)),
      };
    case "failed": {
      const attempts = pin.attempts + 1;
      const failure = new VermilionError("PINNING_SERVICE_PIN_FAILED", { cid: pin.cid, reason: describeInfo(status.info) });
      return { ...base, state: "failed", attempts, nextAttemptAt: context.retryLater(attempts), errorCode: failure.code, error: failure.message };
    }
  }
}

function describeInfo(info: Record<string, unknown> | null | undefined): string {
  const text = info ? JSON.stringify(info) : "";
  return text === "" || text === "{}" ? "no reason given" : text.slice(0, 500);
}

/** Writes the row if the pin is still under `claimId`; false when another instance claimed it since. */
async function recordRemotePin(db: Queryable, parameters: { cid: string; claimId: string; row: PinRow }): Promise<boolean> {
  const { row } = parameters;
  const { rows } = await db.query(
    `UPDATE remote_pins SET state = $3, request_id = $4, attempts = $5, polls = $6, next_attempt_at = $7,
       last_error_code = $8, last_error = $9, claim_id = NULL, updated_at = now(),
       pinned_at = CASE WHEN $3 = 'pinned' THEN coalesce(pinned_at, now()) ELSE NULL END
     WHERE cid = $1 AND claim_id = $2
     RETURNING cid`,
    [parameters.cid, parameters.claimId, row.state, row.requestId, row.attempts, row.polls, row.nextAttemptAt, row.errorCode, row.error],
  );
  return rows.length === 1;
}
