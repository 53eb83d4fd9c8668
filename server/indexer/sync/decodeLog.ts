import type { IndexedBlock, IndexedLog } from "../types.js";

import { decodeEventLog, getAbiItem, toEventSelector, type Hex } from "viem";

import { indexerEventAbi } from "./eventAbi.js";

/** A log as `eth_getLogs` returns it (hex quantities). */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string | null;
  blockHash: string | null;
  transactionHash: string | null;
  transactionIndex: string | null;
  logIndex: string | null;
  removed?: boolean;
}

const TRANSFER = toEventSelector(getAbiItem({ abi: indexerEventAbi, name: "Transfer" }));
const ADDRESS_TOPIC = /^0x0{24}[0-9a-f]{40}$/;
const UINT_TOPIC = /^0x[0-9a-f]{64}$/;
const MAX_INT8 = 2n ** 63n - 1n;

function normalizeValue(value: unknown): unknown {
  if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) return value.toLowerCase();
  if (Array.isArray(value)) return value.map(normalizeValue);
  return value;
}

/**
 * ERC-721 `Transfer(address indexed from, address indexed to, uint256 indexed tokenId)`, read straight
 * from its (lowercase) topics: nearly every log of a collection is one, and viem's generic decoder costs
 * several times the rest of the log's handling. Gives what `decodeEventLog` gives, or null for any other
 * shape (an ERC-20 Transfer has 3 topics and data; an address topic with non-zero padding goes to viem).
 */
function decodeTransfer(topics: readonly string[], data: string): Record<string, unknown> | null {
  if (topics.length !== 4 || data !== "0x" || !ADDRESS_TOPIC.test(topics[1]!) || !ADDRESS_TOPIC.test(topics[2]!) || !UINT_TOPIC.test(topics[3]!)) {
    return null;
  }
  return { from: `0x${topics[1]!.slice(26)}`, to: `0x${topics[2]!.slice(26)}`, tokenId: BigInt(topics[3]!) };
}

/**
 * Whether the log is a Transfer that its `indexer_transfers` row gives back exactly (the view
 * `indexer_logs` rebuilds its topics and data from that row), so its raw copy in `indexer_events` can
 * be left out: topics are the padded addresses and token id, data is empty, the token id fits the row.
 */
export function isRowDerivedTransfer(log: IndexedLog): boolean {
  if (log.eventName !== "Transfer" || log.data !== "0x" || log.topics.length !== 4 || log.topics[0] !== TRANSFER) return false;
  const { from, to, tokenId } = log.args as { from?: unknown; to?: unknown; tokenId?: unknown };
  if (typeof from !== "string" || typeof to !== "string" || typeof tokenId !== "bigint" || tokenId < 0n || tokenId > MAX_INT8) return false;
  return (
    log.topics[1] === `0x${"0".repeat(24)}${from.slice(2)}` &&
    log.topics[2] === `0x${"0".repeat(24)}${to.slice(2)}` &&
    log.topics[3] === `0x${tokenId.toString(16).padStart(64, "0")}`
  );
}

/**
 * Turns an RPC log into an indexed one, decoded with the platform ABI when it knows the event; a log it
 * does not know is kept raw with `eventName` null rather than dropped.
 */
export function decodeLog(chainId: bigint, rpcLog: RpcLog, block: IndexedBlock): IndexedLog {
  const topics = rpcLog.topics.map((topic) => topic.toLowerCase());
  const data = rpcLog.data.toLowerCase();
  let eventName: string | null = null;
  let args: Record<string, unknown> = {};
  const transfer = topics[0] === TRANSFER ? decodeTransfer(topics, data) : null;
  if (transfer) {
    eventName = "Transfer";
    args = transfer;
  } else {
    try {
      const decoded = decodeEventLog({
        abi: indexerEventAbi,
        data: rpcLog.data as Hex,
        topics: rpcLog.topics as [Hex, ...Hex[]],
        strict: true,
      });
      eventName = decoded.eventName;
      args = Object.fromEntries(Object.entries(decoded.args ?? {}).map(([key, value]) => [key, normalizeValue(value)]));
    } catch {
      // Unknown or malformed event: stored raw.
    }
  }
  return {
    chainId,
    txHash: (rpcLog.transactionHash ?? "").toLowerCase(),
    logIndex: Number(rpcLog.logIndex),
    txIndex: Number(rpcLog.transactionIndex),
    blockNumber: BigInt(rpcLog.blockNumber ?? -1),
    blockHash: (rpcLog.blockHash ?? "").toLowerCase(),
    blockTimestamp: block.timestamp,
    address: rpcLog.address.toLowerCase(),
    eventName,
    args,
    topics,
    data,
  };
}
