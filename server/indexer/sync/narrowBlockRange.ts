import { VermilionError } from "../../errors/VermilionError.js";

/** How wide the next `eth_getLogs` range is, and how many ranges committed since it was last narrowed. */
export interface BlockRangeState {
  blockRange: number;
  successesSinceShrink: number;
}

export interface NarrowBlockRangeParameters {
  /** First block of the range the node refused. */
  fromBlock: bigint;
  /** The node's refusal. */
  cause: unknown;
}

/** Halves the range after the node refused one; RPC_RANGE_REFUSED (final) when even one block is refused. */
export function narrowBlockRange(state: BlockRangeState, parameters: NarrowBlockRangeParameters): BlockRangeState {
  if (state.blockRange === 1) {
    throw new VermilionError("RPC_RANGE_REFUSED", { blockNumber: parameters.fromBlock.toString() }, { cause: parameters.cause });
  }
  return { blockRange: Math.max(1, Math.floor(state.blockRange / 2)), successesSinceShrink: 0 };
}
