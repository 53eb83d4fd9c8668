import type { FetchRangeParameters, FetchRangeReturnType } from "./fetchRange.js";

import { fetchRange } from "./fetchRange.js";

/** The next range, read while the current one commits: what it was asked for, and how it went. */
export interface ReadAhead {
  parameters: FetchRangeParameters;
  /** Settles, never rejects: a failure is kept for the step that takes the range. */
  outcome: Promise<{ fetched: FetchRangeReturnType } | { error: unknown }>;
}

export interface ReadAheadParameters {
  /** The range just fetched, as it was asked for. */
  current: FetchRangeParameters;
  fetched: FetchRangeReturnType;
  /** Last block of the range just fetched (a range read ahead may have ended before `current.toBlock`). */
  fetchedToBlock: bigint;
  /** Widest range to read, in blocks. */
  blockRange: number;
  headBlock: bigint;
}

/**
 * Starts reading the range after the one just fetched: the same collections plus those the fetched
 * range created, expected to continue from its last block's hash.
 */
export function readAhead(parameters: ReadAheadParameters): ReadAhead {
  const { current, fetched, fetchedToBlock, blockRange, headBlock } = parameters;
  const created = fetched.logs
    .filter((log) => log.address === current.factoryAddress && log.eventName === "CollectionCreated")
    .map((log) => String(log.args.collection).toLowerCase());
  const nextFrom = fetchedToBlock + 1n;
  const nextTo = nextFrom + BigInt(blockRange) - 1n < headBlock ? nextFrom + BigInt(blockRange) - 1n : headBlock;
  const next: FetchRangeParameters = {
    ...current,
    collections: [...new Set([...current.collections, ...created])],
    fromBlock: nextFrom,
    toBlock: nextTo,
    expectedParentHash: fetched.endBlock.hash,
  };
  return { parameters: next, outcome: fetchRange(next).then((result) => ({ fetched: result }), (error: unknown) => ({ error })) };
}
