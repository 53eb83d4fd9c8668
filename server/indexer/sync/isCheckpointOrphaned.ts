import type { Checkpoint } from "../store/readCheckpoint.js";
import type { RpcClient } from "./withRpcRetry.js";

import { fetchBlock } from "./fetchBlock.js";

export interface IsCheckpointOrphanedParameters {
  checkpoint: Pick<Checkpoint, "blockNumber" | "blockHash">;
  headBlock: bigint;
}

/**
 * Whether the block the checkpoint stands on has left the chain: another block now has its number, or
 * the chain no longer reaches it (a reorg, or a local chain rolled back). The index must roll back first.
 */
export async function isCheckpointOrphaned(
  deps: { publicClient: RpcClient },
  parameters: IsCheckpointOrphanedParameters,
): Promise<boolean> {
  const { checkpoint, headBlock } = parameters;
  const onChain = checkpoint.blockNumber <= headBlock ? await fetchBlock(deps.publicClient, checkpoint.blockNumber) : null;
  return onChain?.hash !== checkpoint.blockHash;
}
