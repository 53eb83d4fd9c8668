import type { Database } from "../../db/Database.js";
import type { Checkpoint } from "../store/readCheckpoint.js";
import type { IndexedBlock, IndexerLogger } from "../types.js";
import type { RpcClient } from "./withRpcRetry.js";

import { VermilionError } from "../../errors/VermilionError.js";
import { revertToAncestor } from "../store/revertToAncestor.js";
import { findCommonAncestor } from "./findCommonAncestor.js";

export interface HandleReorgDeps {
  db: Database;
  publicClient: RpcClient;
  logger: IndexerLogger;
}

export interface HandleReorgParameters {
  chainId: bigint;
  factoryAddress: string;
  /** The checkpoint found orphaned. */
  checkpoint: Checkpoint;
  headBlock: bigint;
  /** The index's first block (the factory's deployment block). */
  startBlock: bigint;
  reorgWindow: bigint;
}

export interface HandleReorgReturnType {
  /** The block the index now ends at, or null when it starts over. */
  ancestor: IndexedBlock | null;
  revertedEvents: number;
}

/**
 * Rolls the index back to the newest block the chain still shares with it, in one transaction;
 * REORG_TOO_DEEP (final) when no kept block above the finalized one matches.
 */
export async function handleReorg(deps: HandleReorgDeps, parameters: HandleReorgParameters): Promise<HandleReorgReturnType> {
  const { db, publicClient, logger } = deps;
  const { chainId, factoryAddress, checkpoint, headBlock, reorgWindow } = parameters;
  const { blockNumber: checkpointBlock, finalizedBlock } = checkpoint;
  const ancestor = await findCommonAncestor(db, { publicClient, chainId, fromBlock: checkpointBlock, finalizedBlock, headBlock });
  // Nothing indexed is final yet (a young local chain reset or rolled back past our first block):
  // start over rather than halt.
  const nothingFinal = finalizedBlock < parameters.startBlock;
  if (!ancestor && !nothingFinal) {
    throw new VermilionError("REORG_TOO_DEEP", {
      chainId: chainId.toString(),
      finalizedBlock: finalizedBlock.toString(),
      reorgWindow: reorgWindow.toString(),
      checkpointBlock: checkpointBlock.toString(),
    });
  }
  const { revertedEvents } = await db.transaction((tx) =>
    revertToAncestor(tx, { chainId, factoryAddress, ancestor, orphanedCheckpoint: checkpoint }),
  );
  logger.warn(
    { fromBlock: checkpointBlock, ancestorBlock: ancestor?.number ?? null, revertedEvents },
    "chain reorganized; rolled back to the common ancestor",
  );
  return { ancestor, revertedEvents };
}
