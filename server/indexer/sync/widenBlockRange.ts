import type { BlockRangeState } from "./narrowBlockRange.js";

/** Ranges committed in a row after which a narrowed range doubles. */
const SUCCESSES_BEFORE_GROWING = 4;

/**
 * After a committed range: doubles a narrowed range (up to `maxBlockRange`) once enough ranges committed
 * in a row. Grow back slowly after a refusal, so a log-count limit is not hit every other call.
 */
export function widenBlockRange(state: BlockRangeState, parameters: { maxBlockRange: number }): BlockRangeState {
  const { maxBlockRange } = parameters;
  if (state.blockRange >= maxBlockRange) return state;
  const successesSinceShrink = state.successesSinceShrink + 1;
  if (successesSinceShrink < SUCCESSES_BEFORE_GROWING) return { blockRange: state.blockRange, successesSinceShrink };
  return { blockRange: Math.min(maxBlockRange, state.blockRange * 2), successesSinceShrink: 0 };
}
