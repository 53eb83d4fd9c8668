import { expect, test } from "vitest";

import { narrowBlockRange } from "./narrowBlockRange.js";
import { widenBlockRange } from "./widenBlockRange.js";

test("a refused range is halved and the count of committed ranges starts again", () => {
  expect(narrowBlockRange({ blockRange: 2_000, successesSinceShrink: 3 }, { fromBlock: 10n, cause: null })).toEqual({
    blockRange: 1_000,
    successesSinceShrink: 0,
  });
  expect(narrowBlockRange({ blockRange: 3, successesSinceShrink: 0 }, { fromBlock: 10n, cause: null })).toEqual({
    blockRange: 1,
    successesSinceShrink: 0,
  });
});

test("a refused one-block range halts with the final RPC_RANGE_REFUSED naming the block", () => {
  const refusal = new Error("query returned more than 10000 results");
  expect(() => narrowBlockRange({ blockRange: 1, successesSinceShrink: 0 }, { fromBlock: 42n, cause: refusal })).toThrow(
    expect.objectContaining({ code: "RPC_RANGE_REFUSED", retryable: false, details: { blockNumber: "42" }, cause: refusal }),
  );
});

test("a narrowed range doubles only after four committed ranges in a row, never past the maximum", () => {
  let state = { blockRange: 500, successesSinceShrink: 0 };
  for (let committed = 1; committed <= 3; committed++) {
    state = widenBlockRange(state, { maxBlockRange: 800 });
    expect(state).toEqual({ blockRange: 500, successesSinceShrink: committed });
  }
  expect(widenBlockRange(state, { maxBlockRange: 800 })).toEqual({ blockRange: 800, successesSinceShrink: 0 });
});

test("a range at its maximum stays as it is", () => {
  const state = { blockRange: 2_000, successesSinceShrink: 0 };
  expect(widenBlockRange(state, { maxBlockRange: 2_000 })).toEqual(state);
});
