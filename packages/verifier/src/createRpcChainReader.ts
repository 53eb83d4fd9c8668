import type { Address, Hex, PublicClient } from "viem";
import type { CallResult, ChainBlock, ChainLog, ChainReader, ChainReceipt, ChainTransaction } from "./chainReader.js";

import { BaseError, RawContractError } from "viem";

import { VerifierError } from "./verifierError.js";

export interface CreateRpcChainReaderParameters {
  /** The block every read is made at; the latest block when absent. */
  blockNumber?: bigint;
  /** Largest block span asked of `eth_getLogs` at once (public endpoints cap it). */
  logRangeBlocks?: bigint;
}

interface RpcLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  logIndex: Hex;
  transactionHash: Hex;
  removed?: boolean;
}

function toChainLog(log: RpcLog): ChainLog {
  return {
    address: log.address.toLowerCase() as Address,
    topics: log.topics.map((topic) => topic.toLowerCase() as Hex),
    data: log.data.toLowerCase() as Hex,
    blockNumber: BigInt(log.blockNumber).toString(),
    blockHash: log.blockHash.toLowerCase() as Hex,
    logIndex: Number(BigInt(log.logIndex)),
    transactionHash: log.transactionHash.toLowerCase() as Hex,
  };
}

function unavailable(error: unknown, what: string): VerifierError {
  return new VerifierError("CHAIN_UNAVAILABLE", { reason: `${what}: ${(error as Error).message?.split("\n")[0] ?? String(error)}` }, { cause: error });
}

/** The revert data inside a viem error, if the node answered with a revert rather than failing. */
function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const raw = error.walk((cause) => cause instanceof RawContractError) as RawContractError | null;
  if (raw) return (typeof raw.data === "string" ? raw.data : "0x") as Hex;
  const message = error.walk() as { message?: string; code?: number } | null;
  // Nodes answer a revert without data with code 3 or 'execution reverted'.
  if (message?.code === 3 || /revert/i.test(error.message)) return "0x";
  return undefined;
}

/**
 * A chain reader over JSON-RPC, pinned to one block: calls and code are read at that block's hash
 * (EIP-1898), so a reorg during the run makes reads fail instead of mixing two chains.
 */
export async function createRpcChainReader(
  publicClient: PublicClient,
  parameters: CreateRpcChainReaderParameters = {},
): Promise<ChainReader> {
  const logRangeBlocks = parameters.logRangeBlocks ?? 50_000n;
  const blocks = new Map<string, Promise<ChainBlock>>();
  const receipts = new Map<string, Promise<ChainReceipt | null>>();
  const transactions = new Map<string, Promise<ChainTransaction | null>>();

  const readBlock = (number: bigint): Promise<ChainBlock> => {
    const key = number.toString();
    let pending = blocks.get(key);
    if (!pending) {
      pending = publicClient.getBlock({ blockNumber: number }).then(
        (block) => ({ number: block.number.toString(), hash: block.hash.toLowerCase() as Hex, timestamp: block.timestamp.toString() }),
        (error: unknown) => {
          throw unavailable(error, `block ${number}`);
        },
      );
      blocks.set(key, pending);
    }
    return pending;
  };

  let pinnedNumber: bigint;
  try {
    pinnedNumber = parameters.blockNumber ?? (await publicClient.getBlockNumber({ cacheTime: 0 }));
  } catch (error) {
    throw unavailable(error, "block number");
  }
  const pinnedBlock = await readBlock(pinnedNumber);
  const at = { blockHash: pinnedBlock.hash };

  return {
    pinnedBlock,
    async getChainId() {
      try {
        return await publicClient.getChainId();
      } catch (error) {
        throw unavailable(error, "chain id");
      }
    },
    getBlock: readBlock,
    async getCode(address) {
      try {
        const code = await publicClient.request({ method: "eth_getCode", params: [address, at as never] });
        return (code ?? "0x").toLowerCase() as Hex;
      } catch (error) {
        throw unavailable(error, `code of ${address}`);
      }
    },
    async call(to, data): Promise<CallResult> {
      try {
        const result = await publicClient.request({ method: "eth_call", params: [{ to, data }, at as never] });
        return { ok: true, data: (result ?? "0x").toLowerCase() as Hex };
      } catch (error) {
        const reverted = revertData(error);
        if (reverted !== undefined) return { ok: false, data: reverted.toLowerCase() as Hex };
        throw unavailable(error, `call to ${to}`);
      }
    },
    async getLogs({ address, topics, fromBlock }) {
      const logs: ChainLog[] = [];
      for (let start = fromBlock; start <= pinnedNumber; start += logRangeBlocks) {
        const end = start + logRangeBlocks - 1n < pinnedNumber ? start + logRangeBlocks - 1n : pinnedNumber;
        try {
          const page = (await publicClient.request({
            method: "eth_getLogs",
            params: [{ address, topics, fromBlock: `0x${start.toString(16)}`, toBlock: `0x${end.toString(16)}` } as never],
          })) as unknown as RpcLog[];
          logs.push(...page.filter((log) => !log.removed).map(toChainLog));
        } catch (error) {
          throw unavailable(error, `logs of ${address}`);
        }
      }
      return logs.sort((a, b) => (BigInt(a.blockNumber) === BigInt(b.blockNumber) ? a.logIndex - b.logIndex : BigInt(a.blockNumber) < BigInt(b.blockNumber) ? -1 : 1));
    },
    getReceipt(transactionHash) {
      let pending = receipts.get(transactionHash);
      if (!pending) {
        pending = publicClient
          .request({ method: "eth_getTransactionReceipt", params: [transactionHash] })
          .then((receipt) => {
            if (!receipt) return null;
            const raw = receipt as unknown as { status: Hex; blockNumber: Hex; blockHash: Hex; transactionHash: Hex; logs: RpcLog[] };
            return {
              transactionHash: raw.transactionHash.toLowerCase() as Hex,
              status: BigInt(raw.status) === 1n ? ("success" as const) : ("reverted" as const),
              blockNumber: BigInt(raw.blockNumber).toString(),
              blockHash: raw.blockHash.toLowerCase() as Hex,
              logs: raw.logs.map(toChainLog),
            };
          })
          .catch((error: unknown) => {
            throw unavailable(error, `receipt of ${transactionHash}`);
          });
        receipts.set(transactionHash, pending);
      }
      return pending;
    },
    getTransaction(transactionHash) {
      // An airdrop's serials share one transaction: asked once per run, not once per token.
      let pending = transactions.get(transactionHash);
      if (!pending) {
        pending = publicClient
          .request({ method: "eth_getTransactionByHash", params: [transactionHash] })
          .then((transaction) => {
            const raw = transaction as unknown as { hash: Hex; from: Address; to: Address | null; blockNumber: Hex | null; blockHash: Hex | null } | null;
            // A pending transaction is not part of the history at the pinned block.
            if (!raw || raw.blockNumber === null || raw.blockHash === null) return null;
            return {
              transactionHash: raw.hash.toLowerCase() as Hex,
              from: raw.from.toLowerCase() as Address,
              to: raw.to === null ? null : (raw.to.toLowerCase() as Address),
              blockNumber: BigInt(raw.blockNumber).toString(),
              blockHash: raw.blockHash.toLowerCase() as Hex,
            };
          })
          .catch((error: unknown) => {
            throw unavailable(error, `transaction ${transactionHash}`);
          });
        transactions.set(transactionHash, pending);
      }
      return pending;
    },
  };
}
