import type { IndexedBlock, IndexedLog } from "../types.js";

import { decodeEventLog, type Hex } from "viem";

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

function normalizeValue(value: unknown): unknown {
  if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) return value.toLowerCase();
  if (Array.isArray(value)) return value.map(normalizeValue);
  return value;
}

/**
 * Turns an RPC log into an indexed one, decoded with the platform ABI when it knows the event; a log it
 * does not know is kept raw with `eventName` null rather than dropped.
 */
export function decodeLog(chainId: bigint, rpcLog: RpcLog, block: IndexedBlock): IndexedLog {
  let eventName: string | null = null;
  let args: Record<string, unknown> = {};
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
    topics: rpcLog.topics.map((topic) => topic.toLowerCase()),
    data: rpcLog.data.toLowerCase(),
  };
}
