import type { Hex } from "viem";

import { hexToBytes, keccak256 } from "viem";

/** Whether the 2048-bit bloom has the three bits Ethereum sets for `item` (Yellow Paper, M3:2048). */
function bloomHas(bloom: Uint8Array, item: Hex): boolean {
  const hash = hexToBytes(keccak256(item));
  for (let pair = 0; pair < 6; pair += 2) {
    const bit = ((hash[pair]! << 8) | hash[pair + 1]!) & 2047;
    if ((bloom[255 - (bit >> 3)]! & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

/**
 * Whether a block whose header carries `logsBloom` may hold a log of `address` with `topics` (null =
 * any). False is a proof: the header commits to the bloom of every log in the block, and a log sets its
 * address's and each topic's bits, so a missing bit means no such log. True only means "maybe": such a
 * block must carry its receipts.
 */
export function bloomMayMatch(logsBloom: Hex, filter: { address: Hex; topics: ReadonlyArray<Hex | null> }): boolean {
  const bloom = hexToBytes(logsBloom);
  if (!bloomHas(bloom, filter.address)) return false;
  return filter.topics.every((topic) => topic === null || bloomHas(bloom, topic));
}
