import type { Queryable } from "../db/Database.js";

/** A log as the indexer stores it: where it sits on the chain, raw, and decoded when the ABI knows it. */
export interface IndexedLog {
  chainId: bigint;
  txHash: string;
  logIndex: number;
  txIndex: number;
  blockNumber: bigint;
  blockHash: string;
  blockTimestamp: bigint;
  /** Lowercase address of the emitting contract. */
  address: string;
  eventName: string | null;
  /** Decoded arguments; addresses lowercase, integers as bigint. Empty when the event is unknown. */
  args: Record<string, unknown>;
  topics: string[];
  data: string;
}

/** A block header the indexer keeps, hashes lowercase. */
export interface IndexedBlock {
  number: bigint;
  hash: string;
  parentHash: string;
  timestamp: bigint;
}

export type MintKind = "issuer" | "airdrop" | "voucher";

/** How a transaction minted: its kind, and who sent it for an issuer mint or airdrop (null for a voucher). */
export interface MintOrigin {
  kind: MintKind;
  operator: string | null;
}

/** What a handler may use: the open transaction, and whether its block can still be reorganized away. */
export interface HandlerContext {
  tx: Queryable;
  chainId: bigint;
  factoryAddress: string;
  /** True when the log's block lies inside the reorg window, so changes to derived rows must be journaled. */
  journal: boolean;
  /**
   * Rows already journaled in this commit, as `table|key|block`: a reorg retracts whole blocks, so only
   * the image before a row's first change in a block is needed.
   */
  journaled: Set<string>;
  /** How the tokens minted by a transaction were minted, keyed by `${txHash}:${collection}`. */
  mintOrigins: ReadonlyMap<string, MintOrigin>;
}

/** One handler per event: applies a stored log to the derived tables. */
export type EventHandler = (context: HandlerContext, log: IndexedLog) => Promise<void>;

/** The indexer's logger: pino's shape, so the service can pass its own. */
export interface IndexerLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}
