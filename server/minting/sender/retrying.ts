import type { SenderDeps } from "./senderDeps.js";

import { setTimeout as sleep } from "node:timers/promises";

import { findContractRevert } from "../../chain/decodeContractError.js";

/**
 * Runs `work`, retrying transient RPC failures with backoff (200 ms doubling to 5 s) until it succeeds
 * or the sender stops. A contract revert is an answer, not a fault: it is thrown at once.
 */
export async function retrying<T>(deps: Pick<SenderDeps, "logger" | "state">, what: string, work: () => Promise<T>): Promise<T> {
  let delayMs = 200;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (findContractRevert(error) || !deps.state.running) throw error;
      deps.logger.warn({ err: error, what, retryInMs: delayMs }, "chain call failed; retrying");
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 5_000);
    }
  }
}
