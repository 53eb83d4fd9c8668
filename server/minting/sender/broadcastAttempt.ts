import type { AttemptRow } from "./listChunkAttempts.js";
import type { SenderDeps } from "./senderDeps.js";

import { retrying } from "./retrying.js";

/** Sends a stored signed transaction to the node (retrying transient faults) and records it as broadcast. */
export async function broadcastAttempt(
  deps: Pick<SenderDeps, "db" | "chain" | "logger" | "state">,
  attempt: Pick<AttemptRow, "tx_hash" | "raw_transaction">,
): Promise<void> {
  await retrying(deps, "sendRawTransaction", async () => {
    try {
      await deps.chain.publicClient.sendRawTransaction({ serializedTransaction: attempt.raw_transaction });
    } catch (error) {
      // The node already has it (a rebroadcast after a crash): that is the outcome we wanted.
      if (error instanceof Error && /already known|already imported|nonce too low/i.test(error.message)) return;
      throw error;
    }
  });
  await deps.db.query("UPDATE chain_transactions SET state = 'broadcast' WHERE tx_hash = $1", [attempt.tx_hash]);
}
