import type { RpcClient } from "./withRpcRetry.js";
import type { IndexedBlock, IndexedLog, MintOrigin } from "../types.js";
import type { RpcLog } from "./decodeLog.js";

import { getAbiItem, toEventSelector, toFunctionSelector } from "viem";

import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { vermilionFactoryAbi } from "../../chain/abis/VermilionFactory.js";
import { VermilionError } from "../../errors/VermilionError.js";
import { decodeLog } from "./decodeLog.js";
import { fetchBlock } from "./fetchBlock.js";
import { mapWithConcurrency } from "./mapWithConcurrency.js";

const COLLECTION_CREATED = toEventSelector(getAbiItem({ abi: vermilionFactoryAbi, name: "CollectionCreated" }));
const TRANSFER = toEventSelector(getAbiItem({ abi: vermilionCollectionAbi, name: "Transfer" }));
const VOUCHER_REDEEMED = toEventSelector(getAbiItem({ abi: vermilionCollectionAbi, name: "VoucherRedeemed" }));
const AIRDROP_SELECTOR = toFunctionSelector(getAbiItem({ abi: vermilionCollectionAbi, name: "airdrop" }));
const ZERO_TOPIC = `0x${"0".repeat(64)}`;
const RPC_CONCURRENCY = 8;

export interface FetchRangeParameters {
  publicClient: RpcClient;
  chainId: bigint;
  factoryAddress: string;
  /** Collections already known before this range. */
  collections: readonly string[];
  fromBlock: bigint;
  toBlock: bigint;
  /** First block inside the reorg window: from here on every block is fetched so its hash is kept. */
  windowStart: bigint;
  /** Hash the block before `fromBlock` had when it was indexed (null on the first range). */
  expectedParentHash: string | null;
}

export interface FetchRangeReturnType {
  logs: IndexedLog[];
  /** Blocks to keep: those with logs, those inside the window, and the last one; ascending. */
  blocks: IndexedBlock[];
  endBlock: IndexedBlock;
  mintOrigins: Map<string, MintOrigin>;
}

async function getLogs(publicClient: RpcClient, addresses: readonly string[], fromBlock: bigint, toBlock: bigint) {
  return (await publicClient.request({
    method: "eth_getLogs",
    params: [
      {
        address: addresses as `0x${string}`[],
        fromBlock: `0x${fromBlock.toString(16)}`,
        toBlock: `0x${toBlock.toString(16)}`,
      },
    ],
  })) as unknown as RpcLog[];
}

function mismatch(blockNumber: bigint, expectedHash: string, actualHash: string | null): VermilionError {
  return new VermilionError("CHAIN_BLOCK_HASH_MISMATCH", {
    blockNumber: blockNumber.toString(),
    expectedHash,
    actualHash: actualHash ?? "none",
  });
}

/**
 * Reads everything the indexer needs for `[fromBlock, toBlock]`: the logs of the factory and every
 * collection (including those the factory created inside the range), the blocks they sit in, and how
 * each mint happened. Checks that every log's block hash is the hash of the block fetched and that the
 * blocks inside the window chain onto each other and onto the last indexed block; a difference means
 * the chain moved while it was read and throws the retryable CHAIN_BLOCK_HASH_MISMATCH.
 */
export async function fetchRange(parameters: FetchRangeParameters): Promise<FetchRangeReturnType> {
  const { publicClient, chainId, factoryAddress, fromBlock, toBlock, windowStart } = parameters;
  const known = new Set(parameters.collections);
  const rpcLogs = await getLogs(publicClient, [factoryAddress, ...known], fromBlock, toBlock);

  // 1. Collections created inside the range: their logs before CollectionCreated (role grants from
  //    initialize, in the same transaction) are inside the range too.
  const created = rpcLogs
    .filter((log) => log.address.toLowerCase() === factoryAddress && log.topics[0] === COLLECTION_CREATED)
    .map((log) => `0x${(log.topics[1] ?? "").slice(26)}`.toLowerCase())
    .filter((address) => !known.has(address));
  if (created.length > 0) rpcLogs.push(...(await getLogs(publicClient, created, fromBlock, toBlock)));

  // 2. Distinct logs in chain order.
  const byKey = new Map<string, RpcLog>();
  for (const log of rpcLogs) if (!log.removed) byKey.set(`${log.transactionHash}:${log.logIndex}`, log);
  const ordered = [...byKey.values()].sort((a, b) => {
    const blockOrder = BigInt(a.blockNumber ?? 0) - BigInt(b.blockNumber ?? 0);
    return blockOrder !== 0n ? (blockOrder < 0n ? -1 : 1) : Number(a.logIndex) - Number(b.logIndex);
  });

  // 3. Blocks: every block with a log, every block in the window, and the last one.
  const numbers = new Set<bigint>(ordered.map((log) => BigInt(log.blockNumber ?? 0)));
  numbers.add(toBlock);
  for (let number = fromBlock > windowStart ? fromBlock : windowStart; number <= toBlock; number++) numbers.add(number);
  const sortedNumbers = [...numbers].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const fetched = await mapWithConcurrency(sortedNumbers, RPC_CONCURRENCY, (number) => fetchBlock(publicClient, number));
  const blocks = new Map<bigint, (typeof fetched)[number]>();
  sortedNumbers.forEach((number, index) => blocks.set(number, fetched[index] ?? null));
  for (const number of sortedNumbers) if (!blocks.get(number)) throw mismatch(number, "a block", null);
  const blockList = sortedNumbers.map((number) => blocks.get(number) as IndexedBlock);

  // 4. Hash checks: logs against their blocks, consecutive blocks against each other, the first block
  //    against the checkpoint.
  for (const log of ordered) {
    const block = blocks.get(BigInt(log.blockNumber ?? 0)) as IndexedBlock;
    if ((log.blockHash ?? "").toLowerCase() !== block.hash) throw mismatch(block.number, block.hash, log.blockHash);
  }
  for (const block of blockList) {
    const parent = blocks.get(block.number - 1n);
    if (parent && parent.hash !== block.parentHash) throw mismatch(parent.number, block.parentHash, parent.hash);
  }
  const first = blocks.get(fromBlock);
  if (first && parameters.expectedParentHash && first.parentHash !== parameters.expectedParentHash) {
    throw mismatch(fromBlock - 1n, parameters.expectedParentHash, first.parentHash);
  }

  // 5. Mint origins: a voucher when the transaction redeemed one, an airdrop when it called `airdrop`
  //    (read from the transaction's input, so a mint relayed through another contract reads as issuer).
  const mintOrigins = new Map<string, MintOrigin>();
  const mintingTransactions = new Map<string, string>();
  for (const log of ordered) {
    const key = `${(log.transactionHash ?? "").toLowerCase()}:${log.address.toLowerCase()}`;
    if (log.topics[0] === VOUCHER_REDEEMED) mintOrigins.set(key, { kind: "voucher", operator: null });
    if (log.topics[0] === TRANSFER && log.topics[1] === ZERO_TOPIC && log.topics.length === 4) {
      mintingTransactions.set(key, (log.transactionHash ?? "").toLowerCase());
    }
  }
  const toClassify = [...mintingTransactions].filter(([key]) => !mintOrigins.has(key));
  const transactions = await mapWithConcurrency(toClassify, RPC_CONCURRENCY, ([, txHash]) =>
    publicClient.request({ method: "eth_getTransactionByHash", params: [txHash as `0x${string}`] }),
  );
  toClassify.forEach(([key], index) => {
    const transaction = transactions[index];
    const collection = key.split(":")[1];
    const isAirdrop = transaction?.to?.toLowerCase() === collection && transaction?.input.startsWith(AIRDROP_SELECTOR);
    mintOrigins.set(key, { kind: isAirdrop ? "airdrop" : "issuer", operator: transaction?.from.toLowerCase() ?? null });
  });

  return {
    logs: ordered.map((log) => decodeLog(chainId, log, blocks.get(BigInt(log.blockNumber ?? 0)) as IndexedBlock)),
    blocks: blockList,
    endBlock: blocks.get(toBlock) as IndexedBlock,
    mintOrigins,
  };
}
