import type { FetchRangeParameters, FetchRangeReturnType } from "./fetchRange.js";
import type { ReadAhead } from "./readAhead.js";

import { fetchRange } from "./fetchRange.js";

export interface FetchPlannedRangeParameters {
  range: FetchRangeParameters;
  /** The range read ahead by the previous step, if any. */
  readAhead: ReadAhead | null;
}

export interface FetchPlannedRangeReturnType {
  fetched: FetchRangeReturnType;
  /** Last block fetched: the range's end, or an earlier one when the range read ahead was taken. */
  toBlock: bigint;
}

/**
 * Whether a range read ahead answers what the step needs: the same start, parent hash and collections,
 * no further than the step's end, and the same blocks of the reorg window (none, or from the same block).
 */
function readAheadServes(readAhead: FetchRangeParameters, wanted: FetchRangeParameters): boolean {
  const sameWindow =
    readAhead.windowStart === wanted.windowStart ||
    (readAhead.windowStart > readAhead.toBlock && wanted.windowStart > readAhead.toBlock);
  return (
    readAhead.fromBlock === wanted.fromBlock &&
    readAhead.toBlock <= wanted.toBlock &&
    readAhead.expectedParentHash === wanted.expectedParentHash &&
    sameWindow &&
    readAhead.collections.length === wanted.collections.length &&
    readAhead.collections.every((address) => wanted.collections.includes(address))
  );
}

/**
 * The planned range's logs and blocks: taken from the range read ahead when it serves (its failure is
 * thrown as if the read happened now), read now otherwise.
 */
export async function fetchPlannedRange(parameters: FetchPlannedRangeParameters): Promise<FetchPlannedRangeReturnType> {
  const { range, readAhead } = parameters;
  if (readAhead && readAheadServes(readAhead.parameters, range)) {
    const outcome = await readAhead.outcome;
    if ("error" in outcome) throw outcome.error;
    return { fetched: outcome.fetched, toBlock: readAhead.parameters.toBlock };
  }
  return { fetched: await fetchRange(range), toBlock: range.toBlock };
}
