import type { AttemptRow } from "./listChunkAttempts.js";
import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

import { broadcastAttempt } from "./broadcastAttempt.js";
import { retrying } from "./retrying.js";

export interface RebroadcastIfDroppedParameters {
  chunk: Pick<ChunkRow, "job_id" | "chunk_index">;
  /** The chunk's live attempts (one nonce), oldest first; none has a receipt and the nonce is unused. */
  attempts: AttemptRow[];
}

/**
 * Asks the node for each of a chunk's broadcast attempts (`eth_getTransactionByHash`); when it knows
 * none of them (dropped from its mempool by a restart or an eviction, or taken out of a block by a
 * reorg), the newest attempt's stored signed bytes are sent again. Never re-signed: the same bytes
 * carry the same nonce, so at most one of the chunk's attempts can ever be mined. Returns whether it
 * re-broadcast.
 */
export async function rebroadcastIfDropped(
  deps: Pick<SenderDeps, "db" | "chain" | "logger" | "state" | "onTransactionLost">,
  parameters: RebroadcastIfDroppedParameters,
): Promise<boolean> {
  const { chunk, attempts } = parameters;
  for (const attempt of attempts) {
    const known = await retrying(deps, "getTransaction", () =>
      deps.chain.publicClient.request({ method: "eth_getTransactionByHash", params: [attempt.tx_hash] }),
    );
    if (known) return false;
  }
  const latest = attempts[attempts.length - 1]!;
  deps.logger.warn(
    { jobId: chunk.job_id, chunkIndex: chunk.chunk_index, txHash: latest.tx_hash, nonce: latest.nonce.toString() },
    "the node no longer knows a mint transaction; re-broadcasting its signed bytes",
  );
  deps.onTransactionLost("dropped");
  await broadcastAttempt(deps, latest);
  return true;
}
