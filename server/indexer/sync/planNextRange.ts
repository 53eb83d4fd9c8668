import type { Queryable } from "../../db/Database.js";
import type { Checkpoint } from "../store/readCheckpoint.js";
import type { FetchRangeParameters } from "./fetchRange.js";
import type { RpcClient } from "./withRpcRetry.js";

import { readIndexedCollections } from "../store/readIndexedCollections.js";

export interface PlanNextRangeParameters {
  chainId: bigint;
  factoryAddress: string;
  /** Where the index stands (null before the first range). */
  checkpoint: Checkpoint | null;
  /** First block to read when there is no checkpoint yet. */
  startBlock: bigint;
  headBlock: bigint;
  /** Widest range to plan, in blocks. */
  blockRange: number;
  reorgWindow: bigint;
}

export interface PlanNextRangeReturnType {
  /** What to fetch: the blocks after the checkpoint, at most `blockRange` of them, up to the head. */
  range: FetchRangeParameters;
  /** Highest block treated as final once the range commits: below the reorg window, never moving back. */
  finalizedBlock: bigint;
}

/** The next range to index after the checkpoint, or null when the index has reached the chain's head. */
export async function planNextRange(
  deps: { db: Queryable; publicClient: RpcClient },
  parameters: PlanNextRangeParameters,
): Promise<PlanNextRangeReturnType | null> {
  const { chainId, factoryAddress, checkpoint, headBlock, blockRange, reorgWindow } = parameters;
  const fromBlock = checkpoint ? checkpoint.blockNumber + 1n : parameters.startBlock;
  if (fromBlock > headBlock) return null;
  const toBlock = fromBlock + BigInt(blockRange) - 1n < headBlock ? fromBlock + BigInt(blockRange) - 1n : headBlock;
  const candidateFinalized = headBlock - reorgWindow;
  const finalizedBlock =
    checkpoint && checkpoint.finalizedBlock > candidateFinalized ? checkpoint.finalizedBlock : candidateFinalized;
  const collections = await readIndexedCollections(deps.db, { chainId, factoryAddress });
  return {
    range: {
      publicClient: deps.publicClient,
      chainId,
      factoryAddress,
      collections,
      fromBlock,
      toBlock,
      windowStart: finalizedBlock + 1n,
      expectedParentHash: checkpoint?.blockHash ?? null,
    },
    finalizedBlock,
  };
}
