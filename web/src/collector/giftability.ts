import type { TokenView } from "../apiTypes.js";

/** Whether a token can be given now, as the page tells its holder before they try. */
export type Giftability =
  | { kind: "burned" }
  | { kind: "soulbound" }
  | { kind: "held"; unlocksAt: number }
  | { kind: "paused" }
  | { kind: "free" };

/**
 * Reads the API's token view (its lock is evaluated at the last indexed block) against the reader's clock:
 * 1. Burned: nothing to give.
 * 2. Locked "never": the edition is soulbound.
 * 3. Locked until a time still ahead: held by the hold policy. A time already past (the index lags the
 *    chain's clock) counts as free: the chain, asked before sending, has the last word.
 * 4. The collection paused: nothing moves until the issuer resumes it.
 * 5. Otherwise free to give.
 */
export function giftability(token: Pick<TokenView, "burned" | "lockedUntil" | "collection">, nowSeconds: number): Giftability {
  if (token.burned) return { kind: "burned" };
  if (token.lockedUntil === "never") return { kind: "soulbound" };
  if (typeof token.lockedUntil === "number" && token.lockedUntil > nowSeconds) return { kind: "held", unlocksAt: token.lockedUntil };
  if (token.collection.paused) return { kind: "paused" };
  return { kind: "free" };
}
