import type { TransactionReceipt } from "viem";
import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

import { parseEventLogs } from "viem";

import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { toChainError } from "../../chain/decodeContractError.js";
import { isFinalAt } from "../../chain/finality.js";
import { VermilionError } from "../../errors/VermilionError.js";
import { deferJob } from "./deferJob.js";
import { failJob } from "./failJob.js";
import { chunkContractCall } from "./sendChunk.js";
import { waitingReasonOf } from "./waitingReasonOf.js";

export interface SettleChunkParameters {
  chunk: ChunkRow;
  /** The mined receipt of one of the chunk's attempts. */
  receipt: TransactionReceipt;
}

/**
 * Records what the chain did with a chunk. Mined: the attempt is 'mined', the chunk's other attempts
 * 'replaced', the chunk 'mined' with its first token id, and the job 'completed' once no chunk of it is
 * left, if one confirmation makes a block final (CONFIRMATIONS 0 or 1); deeper, `confirmMinedChunks`
 * completes it once the blocks are final. Reverted: the reason is learned by replaying the call and the job fails with its code, unless
 * the reason may pass (the key lost the issuing role, the collection was paused): then the chunk is
 * pending again and the job waits (`deferJob`), so nothing accepted is lost.
 */
export async function settleChunk(
  deps: Pick<SenderDeps, "db" | "chain" | "sender" | "logger" | "fault" | "state" | "waitRetryMs" | "confirmations">,
  parameters: SettleChunkParameters,
): Promise<void> {
  const { db, chain } = deps;
  const { chunk, receipt } = parameters;
  if (receipt.status !== "success") {
    // Replay the call at the block before to learn why it reverted.
    let reason: VermilionError = new VermilionError("CONTRACT_REVERTED", { reason: "reverted without a reason" });
    let waiting: VermilionError | undefined;
    try {
      await chain.publicClient.simulateContract({
        account: deps.sender,
        ...chunkContractCall(chunk),
        blockNumber: receipt.blockNumber - 1n,
      } as never);
    } catch (error) {
      reason = toChainError(error, { collection: chunk.collection_address, editionId: chunk.edition_id });
      waiting = waitingReasonOf(deps, { chunk, error, chainError: reason });
    }
    if (waiting) {
      // The reverted transaction spent its nonce and minted nothing: the chunk goes out again later.
      await db.transaction(async (tx) => {
        await tx.query("UPDATE chain_transactions SET state = 'mined' WHERE tx_hash = $1", [receipt.transactionHash]);
        await tx.query(
          "UPDATE chain_transactions SET state = 'replaced' WHERE job_id = $1 AND chunk_index = $2 AND tx_hash <> $3 AND state IN ('signed', 'broadcast')",
          [chunk.job_id, chunk.chunk_index, receipt.transactionHash],
        );
        await tx.query("UPDATE mint_chunks SET state = 'pending' WHERE job_id = $1 AND chunk_index = $2", [chunk.job_id, chunk.chunk_index]);
      });
      await deferJob(deps, { jobId: chunk.job_id, reason: waiting });
      return;
    }
    await db.query("UPDATE chain_transactions SET state = 'mined' WHERE tx_hash = $1", [receipt.transactionHash]);
    await failJob(deps, { jobId: chunk.job_id, error: reason });
    return;
  }
  const transfers = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "Transfer", logs: receipt.logs });
  const firstTokenId = transfers.reduce<bigint | undefined>(
    (lowest, log) => (lowest === undefined || log.args.tokenId < lowest ? log.args.tokenId : lowest),
    undefined,
  );
  await db.transaction(async (tx) => {
    await tx.query("UPDATE chain_transactions SET state = 'mined' WHERE tx_hash = $1", [receipt.transactionHash]);
    await tx.query(
      "UPDATE chain_transactions SET state = 'replaced' WHERE job_id = $1 AND chunk_index = $2 AND tx_hash <> $3 AND state IN ('signed', 'broadcast')",
      [chunk.job_id, chunk.chunk_index, receipt.transactionHash],
    );
    await tx.query(
      "UPDATE mint_chunks SET state = 'mined', tx_hash = $3, first_token_id = $4 WHERE job_id = $1 AND chunk_index = $2",
      [chunk.job_id, chunk.chunk_index, receipt.transactionHash, firstTokenId?.toString() ?? null],
    );
    await tx.query(
      `UPDATE mint_jobs SET updated_at = now(),
         state = CASE WHEN $2 AND NOT EXISTS (SELECT 1 FROM mint_chunks WHERE job_id = $1 AND state <> 'mined') THEN 'completed' ELSE 'sending' END
       WHERE job_id = $1`,
      // A block that has just been mined has one confirmation: final at once only at CONFIRMATIONS 0 or 1.
      [chunk.job_id, isFinalAt(receipt.blockNumber, receipt.blockNumber, deps.confirmations)],
    );
  });
  deps.fault("after-receipt");
}
