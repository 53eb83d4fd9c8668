import type { Address, Hex } from "viem";

/** A log as the verifier keeps it: where it is on the chain, and what it says. */
export interface ChainLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: string;
  blockHash: Hex;
  logIndex: number;
  transactionHash: Hex;
}

export interface ChainReceipt {
  transactionHash: Hex;
  status: "success" | "reverted";
  blockNumber: string;
  blockHash: Hex;
  logs: ChainLog[];
}

/** Who sent a transaction and to what: a mint's operator is its sender (issue 18). */
export interface ChainTransaction {
  transactionHash: Hex;
  /** Lowercase, as every address the reader returns. */
  from: Address;
  /** null for a contract creation. */
  to: Address | null;
  blockNumber: string;
  blockHash: Hex;
}

export interface ChainBlock {
  number: string;
  hash: Hex;
  /** Unix seconds, as a decimal string. */
  timestamp: string;
}

/** The outcome of an `eth_call`: return data, or the revert data. */
export type CallResult = { ok: true; data: Hex } | { ok: false; data: Hex };

/**
 * Everything the verifier asks of a chain, at one pinned block. Backed by JSON-RPC
 * (`createRpcChainReader`) or by the answers recorded in a provenance bundle (`createBundleChainReader`),
 * so the checks never know which.
 */
export interface ChainReader {
  readonly pinnedBlock: ChainBlock;
  getChainId(): Promise<number>;
  /** The canonical block at `number` (at or below the pinned block). */
  getBlock(number: bigint): Promise<ChainBlock>;
  /** Runtime code at the pinned block. */
  getCode(address: Address): Promise<Hex>;
  /** `eth_call` at the pinned block. */
  call(to: Address, data: Hex): Promise<CallResult>;
  /** Logs of `address` matching `topics` (null = any) from `fromBlock` to the pinned block. */
  getLogs(parameters: { address: Address; topics: Array<Hex | null>; fromBlock: bigint }): Promise<ChainLog[]>;
  getReceipt(transactionHash: Hex): Promise<ChainReceipt | null>;
  /** The mined transaction (null when the chain does not know it). */
  getTransaction(transactionHash: Hex): Promise<ChainTransaction | null>;
}

/** One question asked of the chain and its answer, as a bundle stores them. */
export interface RecordedAnswer {
  method: string;
  params: unknown;
  result: unknown;
}

/** The key a recorded answer is found under: the method and its parameters, canonically. */
export function answerKey(method: string, parameters: unknown): string {
  return JSON.stringify([method, parameters]);
}
