import type { RpcClient } from "./withRpcRetry.js";
import type { IndexedBlock } from "../types.js";

interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
}

/** The block at `blockNumber`, or null when the chain has no such block (yet, or any more). */
export async function fetchBlock(publicClient: RpcClient, blockNumber: bigint): Promise<IndexedBlock | null> {
  const block = (await publicClient.request({
    method: "eth_getBlockByNumber",
    params: [`0x${blockNumber.toString(16)}`, false],
  })) as RpcBlock | null;
  if (!block) return null;
  return {
    number: BigInt(block.number),
    hash: block.hash.toLowerCase(),
    parentHash: block.parentHash.toLowerCase(),
    timestamp: BigInt(block.timestamp),
  };
}
