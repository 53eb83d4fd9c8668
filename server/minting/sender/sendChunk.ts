import type { Hex } from "viem";
import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

import { encodeFunctionData } from "viem";

import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { toChainError } from "../../chain/decodeContractError.js";
import { broadcastAttempt } from "./broadcastAttempt.js";
import { chooseNonce } from "./chooseNonce.js";
import { deferJob } from "./deferJob.js";
import { failJob } from "./failJob.js";
import { listChunkAttempts } from "./listChunkAttempts.js";
import { payForChunk, quoteChunkFees } from "./payForChunk.js";
import { retrying } from "./retrying.js";
import { signAndStoreAttempt } from "./signAndStoreAttempt.js";
import { waitingReasonOf } from "./waitingReasonOf.js";

/** The contract call of a chunk, for viem's contract actions (which decode the contract's errors). */
export function chunkContractCall(chunk: ChunkRow) {
  return chunk.recipients
    ? ({
        address: chunk.collection_address,
        abi: vermilionCollectionAbi,
        functionName: "airdrop",
        args: [chunk.edition_id, chunk.recipients],
      } as const)
    : ({
        address: chunk.collection_address,
        abi: vermilionCollectionAbi,
        functionName: "mint",
        args: [chunk.edition_id, chunk.recipient!, BigInt(chunk.quantity)],
      } as const);
}

/** The chunk's contract call as transaction data. */
export function chunkCallData(chunk: ChunkRow): Hex {
  return encodeFunctionData(chunkContractCall(chunk));
}

/**
 * The chunk's gas as the node estimates it from the sender's account. Estimated through the ABI, so a
 * revert (sold out, sealed, paused) is thrown decodable and final, not retried.
 */
export async function estimateChunkGas(deps: Pick<SenderDeps, "chain" | "sender" | "logger" | "state">, chunk: ChunkRow): Promise<bigint> {
  return retrying(deps, "estimateGas", () =>
    deps.chain.publicClient.estimateContractGas({ account: deps.sender, ...chunkContractCall(chunk) } as never),
  );
}

/**
 * Sends a pending chunk for the first time: estimates it, prices it by the fee policy and has it paid
 * for (`payForChunk`), then under the key's write lock signs it with the next free nonce, stores it
 * and broadcasts it. Returns whether it went
 * out. It does not when:
 * 1. the job must wait (collection paused, key no longer holds the issuing role, issuer's gas budget
 *    spent, fee cap below the market, hourly gas budget spent): the job is deferred with the reason
 *    shown, and other jobs of the key go first;
 * 2. the contract refuses it for good: the job fails with the decoded code.
 */
export async function sendChunk(deps: SenderDeps, chunk: ChunkRow): Promise<boolean> {
  const { writeLock } = deps;
  deps.fault("before-sign");
  // The fee quote is asked for beside the estimate (two round trips at once, not one after the other);
  // it is awaited only once the estimate has passed, and a quote nobody awaits is not an unhandled rejection.
  const feeQuote = quoteChunkFees(deps);
  feeQuote.catch(() => undefined);
  let gas: bigint;
  try {
    gas = await estimateChunkGas(deps, chunk);
  } catch (error) {
    const chainError = toChainError(error, { collection: chunk.collection_address, editionId: chunk.edition_id });
    const waiting = waitingReasonOf(deps, { chunk, error, chainError });
    if (waiting) {
      await deferJob(deps, { jobId: chunk.job_id, reason: waiting });
      return false;
    }
    if (chainError.retryable) throw chainError;
    await failJob(deps, { jobId: chunk.job_id, error: chainError });
    return false;
  }
  // Gas with headroom: an airdrop's cost depends on recipients' state, which can change.
  const gasLimit = (gas * 12n) / 10n;
  // The key's other chunks in flight may not be mined yet: its balance must cover them and this one,
  // or a node that counts pending spending would refuse this transaction.
  const paid = await payForChunk(deps, { chunk, gas: gasLimit, quoted: await feeQuote, transactionsToFund: deps.state.inFlight.size + 1 });
  if ("waiting" in paid) {
    await deferJob(deps, { jobId: chunk.job_id, reason: paid.waiting });
    return false;
  }
  await writeLock(async () => {
    const nonce = await chooseNonce(deps);
    await signAndStoreAttempt(deps, {
      chunk,
      callData: chunkCallData(chunk),
      nonce,
      gas: gasLimit,
      fees: paid.fees,
    });
    const [stored] = await listChunkAttempts(deps, chunk);
    await broadcastAttempt(deps, stored!);
  });
  deps.fault("after-broadcast");
  return true;
}
