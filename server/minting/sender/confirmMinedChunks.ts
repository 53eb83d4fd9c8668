import type { Hex } from "viem";
import type { SenderDeps } from "./senderDeps.js";

import { parseEventLogs } from "viem";

import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { isFinalAt } from "../../chain/finality.js";
import { broadcastAttempt } from "./broadcastAttempt.js";
import { retrying } from "./retrying.js";

/** Receipts of mined chunks are read at most this often: between chunks the loop turns far more often. */
const CHECK_EVERY_MS = 1_000;

interface MinedChunkRow {
  job_id: string;
  chunk_index: number;
  tx_hash: Hex;
  first_token_id: string | null;
  raw_transaction: Hex;
}

/** The lowest token id a receipt's `Transfer` logs mint, as settleChunk records it. */
function firstTokenIdOf(logs: Parameters<typeof parseEventLogs>[0]["logs"]): string | null {
  const transfers = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "Transfer", logs });
  let lowest: bigint | undefined;
  for (const log of transfers) if (lowest === undefined || log.args.tokenId < lowest) lowest = log.args.tokenId;
  return lowest?.toString() ?? null;
}

/**
 * Completes the sender's jobs whose chunks are all mined in blocks that are now final
 * (`confirmations` deep), and takes back a mined chunk whose block was reorged away. Cases, per mined
 * chunk of a job not yet completed:
 * 1. its receipt is there, successful, with the token ids recorded: final once deep enough;
 * 2. no receipt (the block was reorged away and the node did not keep the transaction), a reverted one
 *    or other token ids (mined again elsewhere on the new branch): the chunk is 'sent' again with all
 *    its attempts live, its token ids forgotten, and its stored signed bytes are re-broadcast; the
 *    receipt wait settles it anew. Same bytes, same nonce: it can be mined once only.
 * At `confirmations` 0 or 1 a job completes with its last receipt (settleChunk) and nothing is done here.
 * Receipts are read at most once a second, and a chunk seen final is not read again.
 */
export async function confirmMinedChunks(
  deps: Pick<SenderDeps, "db" | "chain" | "chainId" | "sender" | "logger" | "state" | "confirmations" | "onTransactionLost">,
): Promise<void> {
  const { db, chain, state } = deps;
  if (deps.confirmations <= 1 || Date.now() - state.lastConfirmCheckAt < CHECK_EVERY_MS) return;
  state.lastConfirmCheckAt = Date.now();
  const { rows } = await db.query<MinedChunkRow>(
    `SELECT c.job_id, c.chunk_index, c.tx_hash, c.first_token_id::text, t.raw_transaction
     FROM mint_chunks c JOIN mint_jobs j USING (job_id) JOIN chain_transactions t ON t.tx_hash = c.tx_hash
     WHERE j.chain_id = $1 AND j.sender = $2 AND j.state = 'sending' AND c.state = 'mined'
     ORDER BY j.created_at, c.chunk_index`,
    [deps.chainId, deps.sender],
  );
  if (rows.length === 0) {
    state.finalTxHashes.clear();
    return;
  }
  const headBlock = await retrying(deps, "getBlockNumber", () => chain.publicClient.getBlockNumber({ cacheTime: 0 }));
  const notFinalJobs = new Set<string>();
  for (const row of rows) {
    if (state.finalTxHashes.has(row.tx_hash)) continue;
    const receipt = await retrying(deps, "getTransactionReceipt", () =>
      chain.publicClient.getTransactionReceipt({ hash: row.tx_hash }).catch((error: unknown) => {
        if (error instanceof Error && error.name === "TransactionReceiptNotFoundError") return undefined;
        throw error;
      }),
    );
    if (receipt && receipt.status === "success" && firstTokenIdOf(receipt.logs) === row.first_token_id) {
      if (isFinalAt(receipt.blockNumber, headBlock, deps.confirmations)) state.finalTxHashes.add(row.tx_hash);
      else notFinalJobs.add(row.job_id);
      continue;
    }
    notFinalJobs.add(row.job_id);
    deps.logger.warn(
      { jobId: row.job_id, chunkIndex: row.chunk_index, txHash: row.tx_hash, receipt: receipt ? receipt.blockHash : null },
      "a mined chunk's block was reorged away; its transaction goes out again",
    );
    deps.onTransactionLost("reorged");
    await db.transaction(async (tx) => {
      await tx.query(
        "UPDATE chain_transactions SET state = 'broadcast' WHERE job_id = $1 AND chunk_index = $2 AND state IN ('mined', 'replaced')",
        [row.job_id, row.chunk_index],
      );
      await tx.query(
        "UPDATE mint_chunks SET state = 'sent', tx_hash = NULL, first_token_id = NULL WHERE job_id = $1 AND chunk_index = $2",
        [row.job_id, row.chunk_index],
      );
      await tx.query("UPDATE mint_jobs SET updated_at = now() WHERE job_id = $1", [row.job_id]);
    });
    if (!receipt) await broadcastAttempt(deps, { tx_hash: row.tx_hash, raw_transaction: row.raw_transaction });
  }
  const finalJobs = [...new Set(rows.map((row) => row.job_id))].filter((jobId) => !notFinalJobs.has(jobId));
  // Only chunks of jobs still unfinished stay remembered (a completed job's rows leave the query).
  const listed = new Set<string>(rows.map((row) => row.tx_hash));
  for (const txHash of state.finalTxHashes) if (!listed.has(txHash)) state.finalTxHashes.delete(txHash);
  if (finalJobs.length === 0) return;
  await db.query(
    `UPDATE mint_jobs j SET state = 'completed', updated_at = now()
     WHERE j.job_id = ANY($1::uuid[]) AND j.state = 'sending' AND NOT EXISTS (SELECT 1 FROM mint_chunks c WHERE c.job_id = j.job_id AND c.state <> 'mined')`,
    [finalJobs],
  );
}
