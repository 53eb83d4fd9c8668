import type { TransactionReceipt } from "viem";
import type { AttemptRow } from "./listChunkAttempts.js";
import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

import { setTimeout as sleep } from "node:timers/promises";

import { broadcastAttempt } from "./broadcastAttempt.js";
import { listChunkAttempts } from "./listChunkAttempts.js";
import { rebroadcastIfDropped } from "./rebroadcastIfDropped.js";
import { replaceStuckAttempt } from "./replaceStuckAttempt.js";
import { retrying } from "./retrying.js";

/** First wait before looking for a chunk's receipt again; it doubles up to the client's polling interval. */
const MIN_RECEIPT_POLL_MS = 10;

/** The first receipt the node has for any of the attempts, in the order given. */
async function findReceipt(deps: Pick<SenderDeps, "chain" | "logger" | "state">, attempts: AttemptRow[]): Promise<TransactionReceipt | undefined> {
  for (const attempt of attempts) {
    const receipt = await retrying(deps, "getTransactionReceipt", () =>
      deps.chain.publicClient.getTransactionReceipt({ hash: attempt.tx_hash }).catch((error: unknown) => {
        if (error instanceof Error && error.name === "TransactionReceiptNotFoundError") return undefined;
        throw error;
      }),
    );
    if (receipt) return receipt;
  }
  return undefined;
}

/**
 * Waits until any attempt of a sent chunk is mined and returns its receipt (mined or reverted). On the
 * way it broadcasts an attempt still only signed (after a crash or a replacement) and replaces one stuck
 * longer than `replaceAfterMs`. Every `mempoolCheckMs` (and first thing after a restart) it asks the node
 * whether it still knows the transaction: one it dropped (a node restart, an eviction, a reorg) is
 * re-broadcast from its stored signed bytes (`rebroadcastIfDropped`). Returns nothing when there is
 * nothing to settle:
 * 1. the chunk has no live attempt;
 * 2. its nonce went to another signer of the key (no receipt of ours for `foreignNonceAfterMs`): its
 *    attempts are dropped and the chunk is pending again, to go out with a new nonce;
 * 3. the sender is stopping (the next start resumes the wait from the database).
 */
export async function awaitChunkReceipt(deps: SenderDeps, chunk: ChunkRow): Promise<TransactionReceipt | undefined> {
  const { db, chain, state } = deps;
  let lastBroadcastAt = Date.now();
  /**
   * When the node was last asked whether it still has the transaction. A chunk picked up already sent
   * (after a restart, or taken back from a reorg) is asked about at once; one just broadcast a term later,
   * so the check costs an instant chain's mint nothing.
   */
  let lastMempoolCheckAt = chunk.state === "sent" ? 0 : Date.now();
  /** When the chunk's nonce was first seen used without a receipt for any of its attempts. */
  let nonceUsedSince: number | undefined;
  // The first looks come soon and then slow down to the client's polling interval: a local node mines
  // within milliseconds but ever later as its state grows, and a fixed wait of the full interval would
  // add that whole interval to every mint.
  const maxPollMs = Math.min(500, chain.publicClient.pollingInterval);
  let pollMs = Math.min(MIN_RECEIPT_POLL_MS, maxPollMs);
  const nextPoll = () => {
    const waitMs = pollMs;
    pollMs = Math.min(pollMs * 2, maxPollMs);
    return sleep(waitMs);
  };
  for (;;) {
    const attempts = await listChunkAttempts(deps, chunk);
    if (attempts.length === 0) return undefined;
    const receipt = await findReceipt(deps, attempts);
    if (receipt) return receipt;
    const latest = attempts[attempts.length - 1]!;
    const confirmedNonce = BigInt(
      await retrying(deps, "getTransactionCount", () => chain.publicClient.getTransactionCount({ address: deps.sender, blockTag: "latest" })),
    );
    if (confirmedNonce > latest.nonce) {
      // The nonce is used. Our transaction may have been mined between the receipt check above and
      // the nonce read, and a node may show the new nonce before it serves the receipt (Anvil under
      // load does; so can a load-balanced provider): keep looking for a while before concluding
      // that the nonce went to someone else.
      const lateReceipt = await findReceipt(deps, attempts);
      if (lateReceipt) return lateReceipt;
      nonceUsedSince ??= Date.now();
      if (Date.now() - nonceUsedSince < deps.foreignNonceAfterMs) {
        if (!state.running) return undefined;
        await nextPoll();
        continue;
      }
      // Used by none of our attempts: something else signed with this key. The chunk did not
      // happen; send it again with a new nonce.
      deps.logger.error({ jobId: chunk.job_id, nonce: latest.nonce.toString() }, "nonce consumed by a foreign transaction");
      await db.transaction(async (tx) => {
        await tx.query(
          "UPDATE chain_transactions SET state = 'dropped' WHERE job_id = $1 AND chunk_index = $2 AND state IN ('signed', 'broadcast')",
          [chunk.job_id, chunk.chunk_index],
        );
        await tx.query("UPDATE mint_chunks SET state = 'pending' WHERE job_id = $1 AND chunk_index = $2", [chunk.job_id, chunk.chunk_index]);
      });
      return undefined;
    }
    if (latest.state === "signed") {
      await broadcastAttempt(deps, latest);
      lastBroadcastAt = Date.now();
      deps.fault("after-broadcast");
      continue;
    }
    if (Date.now() - lastMempoolCheckAt >= deps.mempoolCheckMs) {
      lastMempoolCheckAt = Date.now();
      if (await rebroadcastIfDropped(deps, { chunk, attempts })) continue;
    }
    if (Date.now() - lastBroadcastAt > deps.replaceAfterMs) {
      await replaceStuckAttempt(deps, { chunk, latest });
      // Replaced or not (an unfunded key keeps its transaction), the next replacement is a term away.
      lastBroadcastAt = Date.now();
      continue;
    }
    if (!state.running) return undefined;
    await nextPoll();
  }
}
