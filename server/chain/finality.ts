import { LOCAL_CHAIN_IDS } from "../config/loadConfig.js";

/** CONFIRMATIONS when it is not set on a chain other than a local one (Ethereum's customary depth). */
export const DEFAULT_REMOTE_CONFIRMATIONS = 12;

/**
 * The chain's finality depth: `CONFIRMATIONS` as configured, else 0 on a local chain (31337, 1337: it
 * does not reorg unless a test tells it to) and 12 elsewhere. The one number behind the API's `final`
 * flags, the index's `finalizedBlock` and mint job completion.
 */
export function resolveConfirmations(configured: number | undefined, chainId: number): number {
  return configured ?? (LOCAL_CHAIN_IDS.has(chainId) ? 0 : DEFAULT_REMOTE_CONFIRMATIONS);
}

/**
 * The highest block that is final when `headBlock` is the newest: a block is final once it has
 * `confirmations` confirmations, itself included (viem's and ethers' count), so at 0 and 1 the head
 * itself is final.
 */
export function finalBlockAt(headBlock: bigint, confirmations: number): bigint {
  return headBlock - BigInt(Math.max(confirmations, 1)) + 1n;
}

/** Whether a block is final with `headBlock` the newest (see `finalBlockAt`). */
export function isFinalAt(blockNumber: bigint, headBlock: bigint, confirmations: number): boolean {
  return blockNumber <= finalBlockAt(headBlock, confirmations);
}
