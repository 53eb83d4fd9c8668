import type { TransactionFees } from "./feePolicy.js";
import type { FeePolicy } from "../../config/feePolicySettings.js";

/** A replacement asks 25% more: it clears nodes' 10% replacement rule with room. */
const BUMP_PERCENT = 125n;
/** Nodes (geth's txpool.pricebump, Anvil, Besu) refuse a replacement that raises a fee by less than 10%. */
const REPLACEMENT_MIN_PERCENT = 110n;

export type BumpFeesReturnType =
  | { kind: "bumped"; fees: TransactionFees }
  /** The cap leaves no bump the node would accept: `neededWei` is the least max fee (or gas price) it would, `capWei` the cap. */
  | { kind: "capped"; neededWei: bigint; capWei: bigint }
  /** Zero-fee chains: a higher fee means nothing, so a stuck transaction is not replaced. */
  | { kind: "zero" };

function atLeast10PercentMore(value: bigint): bigint {
  // Rounded up: a node compares with integer arithmetic, and 110% of 1 wei is still more than 1.
  return (value * REPLACEMENT_MIN_PERCENT + 99n) / 100n;
}

function bumped(value: bigint): bigint {
  return (value * BUMP_PERCENT + 99n) / 100n;
}

function capped(value: bigint, cap: bigint | undefined): bigint {
  return cap !== undefined && value > cap ? cap : value;
}

/**
 * The fees of a replacement of a transaction signed with `previous`, of the same type: 25% more,
 * lowered to the policy's caps. When a capped fee no longer clears the node's 10% rule, there is no
 * replacement to sign ("capped"): the transaction stays as it is.
 */
export function bumpFees(policy: FeePolicy, previous: TransactionFees): BumpFeesReturnType {
  if (policy.mode === "zero") return { kind: "zero" };
  const cap = policy.maxFeePerGasWei;
  if (previous.type === "legacy") {
    const needed = atLeast10PercentMore(previous.gasPrice);
    const gasPrice = capped(bumped(previous.gasPrice), cap);
    if (gasPrice < needed) return { kind: "capped", neededWei: needed, capWei: cap! };
    return { kind: "bumped", fees: { type: "legacy", gasPrice } };
  }
  const neededMax = atLeast10PercentMore(previous.maxFeePerGas);
  const neededPriority = atLeast10PercentMore(previous.maxPriorityFeePerGas);
  const maxFeePerGas = capped(bumped(previous.maxFeePerGas), cap);
  if (maxFeePerGas < neededMax) return { kind: "capped", neededWei: neededMax, capWei: cap! };
  const priorityCap = policy.maxPriorityFeePerGasWei;
  let maxPriorityFeePerGas = capped(bumped(previous.maxPriorityFeePerGas), priorityCap);
  if (maxPriorityFeePerGas > maxFeePerGas) maxPriorityFeePerGas = maxFeePerGas;
  if (maxPriorityFeePerGas < neededPriority) {
    // The priority cap (or the max fee) leaves the tip too low for the node to accept a replacement.
    return { kind: "capped", neededWei: neededPriority, capWei: priorityCap !== undefined && priorityCap < maxFeePerGas ? priorityCap : maxFeePerGas };
  }
  return { kind: "bumped", fees: { type: "eip1559", maxFeePerGas, maxPriorityFeePerGas } };
}
