import type { Address, Hex } from "viem";

/**
 * A block's body as a bundle carries it: every transaction (EIP-2718 envelope, as signed and hashed) and
 * every receipt (EIP-2718 encoded), in block order. All of them, not a Merkle proof per receipt: only the
 * whole list rebuilds the block's tries, so only the whole list proves that no log, receipt or transaction
 * of the block was left out (a per-receipt proof shows a receipt is in the block, not that the block
 * holds no other matching one).
 */
export interface BlockBody {
  number: string;
  transactions: Hex[];
  receipts: Hex[];
}

export interface ProvenLog {
  address: Address;
  topics: Hex[];
  data: Hex;
}

export interface ProvenReceipt {
  status: "success" | "reverted";
  logs: ProvenLog[];
}

export interface ProvenTransaction {
  /** keccak256 of the raw transaction: computed, never read from the bundle. */
  hash: Hex;
  raw: Hex;
  index: number;
}

/** A body whose tries rebuilt to its header's roots. */
export interface ProvenBlockBody {
  number: bigint;
  blockHash: Hex;
  transactions: ProvenTransaction[];
  receipts: ProvenReceipt[];
}
