import type { Address, Hex } from "viem";
import type { CallResult, ChainBlock, ChainLog, ChainReader, ChainReceipt, ChainTransaction, RecordedAnswer } from "../chainReader.js";
import type { ProvenBlockBody } from "./blocks/blockBody.js";
import type { ProvenChain } from "./chainProofs.js";
import type { ProvenStateReader } from "./provenState.js";

import { parseTransaction, recoverTransactionAddress } from "viem";

import { answerKey } from "../chainReader.js";
import { bloomMayMatch } from "./blocks/bloomMayMatch.js";
import { BundleProofError } from "./bundleProofError.js";
import { isStateUnproven } from "./provenState.js";

/** A question the proofs could not answer, answered from the maker's recorded answer instead. */
export interface UnprovenClaim {
  /** The question's key (`answerKey`): the method and its parameters. */
  question: string;
  reason: string;
}

export interface CreateProvenChainReaderParameters {
  chain: ProvenChain;
  /** Calls and code reads: state proven against the pinned stateRoot; null when the bundle has none. */
  state: ProvenStateReader | null;
  /** Why there is no state (no proofs collected, or the library is missing), for the unproven list. */
  stateMissingReason?: string;
  /**
   * The maker's recorded answers and the questions it declared unproven (`proofs.unproven`). A declared
   * question the proofs cannot answer is answered from the recording and listed as an unproven claim; an
   * undeclared one fails with the code naming the missing proof (the bundle was altered or is incomplete).
   */
  answers: readonly RecordedAnswer[];
  declaredUnproven: ReadonlyArray<{ question: string }>;
}

export interface ProvenChainReader {
  reader: ChainReader;
  /** The unproven claims the verification used so far. */
  unprovenClaims(): UnprovenClaim[];
  /** How many answers came from proofs. */
  provenAnswers(): number;
}

function chainLog(body: ProvenBlockBody, transactionHash: Hex, logIndex: number, log: { address: Hex; topics: Hex[]; data: Hex }): ChainLog {
  return {
    address: log.address.toLowerCase() as Address,
    topics: log.topics.map((topic) => topic.toLowerCase() as Hex),
    data: log.data.toLowerCase() as Hex,
    blockNumber: body.number.toString(),
    blockHash: body.blockHash,
    logIndex,
    transactionHash,
  };
}

/**
 * The chain id, from the first transaction of the bundle's blocks that is signed for one: chain ids are
 * signed into EIP-155 and typed transactions, and a valid block holds only its own chain's.
 */
export function provenChainId(chain: ProvenChain): number | null {
  for (const body of chain.bodies.values()) {
    for (const transaction of body.transactions) {
      const chainId = parseTransaction(transaction.raw).chainId;
      if (chainId !== undefined) return chainId;
    }
  }
  return null;
}

const logsOfBlock = new WeakMap<ProvenBlockBody, ChainLog[]>();

/** Every log of a block, with its block-wide index, in block order. */
function blockLogs(body: ProvenBlockBody): ChainLog[] {
  const kept = logsOfBlock.get(body);
  if (kept) return kept;
  const logs: ChainLog[] = [];
  logsOfBlock.set(body, logs);
  for (const [index, receipt] of body.receipts.entries()) {
    for (const log of receipt.logs) logs.push(chainLog(body, body.transactions[index]!.hash, logs.length, log));
  }
  return logs;
}

/**
 * A ChainReader backed only by proven data: headers hashed and chained to the anchor, block bodies
 * rebuilt to their headers' roots, state proven against the pinned stateRoot. The checks run on it
 * unchanged. Logs are proven complete block by block: a block whose header's bloom cannot match the
 * filter holds no such log; any other block must carry its full body.
 */
export function createProvenChainReader(parameters: CreateProvenChainReaderParameters): ProvenChainReader {
  const { chain, state } = parameters;
  const recorded = new Map(parameters.answers.map((answer) => [answerKey(answer.method, answer.params), answer.result]));
  const declared = new Set(parameters.declaredUnproven.map((claim) => claim.question));
  const unproven = new Map<string, UnprovenClaim>();
  let proven = 0;
  const pinnedNumber = chain.pinned.number;

  const byTransaction = new Map<Hex, { body: ProvenBlockBody; index: number }>();
  for (const body of chain.bodies.values()) for (const transaction of body.transactions) byTransaction.set(transaction.hash, { body, index: transaction.index });

  /** The recorded answer to a question the maker declared unproven; otherwise the proof failure. */
  const fallBack = <T>(method: string, params: unknown, reason: string, failure: () => Error): T => {
    const key = answerKey(method, params);
    if (!declared.has(key) || !recorded.has(key)) throw failure();
    unproven.set(key, { question: key, reason });
    return recorded.get(key) as T;
  };
  const provenAnswer = <T>(value: T): T => {
    proven++;
    return value;
  };
  const missing = (question: string) => () => new BundleProofError("BUNDLE_CLAIM_UNPROVEN", { question: question.slice(0, 300) });

  const pinnedBlock: ChainBlock = { number: chain.pinned.number.toString(), hash: chain.pinned.hash, timestamp: chain.pinned.timestamp.toString() };

  const receipts = new Map<string, Promise<ChainReceipt | null>>();
  const transactions = new Map<string, Promise<ChainTransaction | null>>();
  const memo = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    let pending = cache.get(key);
    if (!pending) {
      pending = load();
      cache.set(key, pending);
    }
    return pending;
  };
  const transactionOf = async (hash: Hex): Promise<{ body: ProvenBlockBody; index: number } | null> => byTransaction.get(hash.toLowerCase() as Hex) ?? null;

  const reader: ChainReader = {
    pinnedBlock,
    async getChainId() {
      const chainId = provenChainId(chain);
      if (chainId !== null) return provenAnswer(chainId);
      return fallBack("getChainId", [], "no transaction in the bundle's blocks is signed for a chain id", missing("getChainId"));
    },
    async getBlock(number) {
      const header = number <= pinnedNumber ? chain.headers.get(number) : undefined;
      if (!header) {
        return fallBack("getBlock", [number.toString()], `no header for block ${number}`, () => new BundleProofError("BUNDLE_HEADER_MISSING", { block: number.toString() }));
      }
      return provenAnswer({ number: header.number.toString(), hash: header.hash, timestamp: header.timestamp.toString() });
    },
    async getCode(address) {
      const params = [address.toLowerCase()];
      const answer = state ? await state.getCode(address) : { unproven: true as const, detail: parameters.stateMissingReason ?? "the bundle holds no state proofs" };
      if (isStateUnproven(answer)) return fallBack("getCode", params, answer.detail, missing(`getCode ${address}`));
      return provenAnswer(answer.toLowerCase() as Hex);
    },
    async call(to, data): Promise<CallResult> {
      const params = [to.toLowerCase(), data.toLowerCase()];
      const answer = state ? await state.call(to, data) : { unproven: true as const, detail: parameters.stateMissingReason ?? "the bundle holds no state proofs" };
      if (isStateUnproven(answer)) return fallBack("call", params, answer.detail, missing(`call ${to} ${data.slice(0, 10)}`));
      return provenAnswer({ ok: answer.ok, data: answer.data.toLowerCase() as Hex } as CallResult);
    },
    async getLogs({ address, topics, fromBlock }) {
      const params = [address.toLowerCase(), topics, fromBlock.toString()];
      const filter = { address: address.toLowerCase() as Hex, topics };
      const logs: ChainLog[] = [];
      for (let number = fromBlock; number <= pinnedNumber; number++) {
        const header = chain.headers.get(number);
        if (!header) {
          return fallBack("getLogs", params, `no header for block ${number}`, () => new BundleProofError("BUNDLE_LOGS_INCOMPLETE", { block: number.toString(), reason: "its header is not in the bundle" }));
        }
        if (!bloomMayMatch(header.logsBloom, filter)) continue;
        const body = chain.bodies.get(number);
        if (!body) {
          return fallBack("getLogs", params, `block ${number} may hold such logs (bloom) and its receipts are not in the bundle`, () =>
            new BundleProofError("BUNDLE_LOGS_INCOMPLETE", { block: number.toString(), reason: "its header's bloom may match the filter and its receipts are not in the bundle" }),
          );
        }
        for (const log of blockLogs(body)) {
          if (log.address !== filter.address) continue;
          if (topics.length > log.topics.length) continue;
          if (topics.every((topic, index) => topic === null || topic.toLowerCase() === log.topics[index])) logs.push(log);
        }
      }
      return provenAnswer(logs);
    },
    getReceipt: (hash) => memo(receipts, hash.toLowerCase(), () => receiptOf(hash)),
    getTransaction: (hash) => memo(transactions, hash.toLowerCase(), () => transactionAt(hash)),
  };

  // An airdrop's serials share one transaction: its receipt and sender are derived once, not per token.
  async function receiptOf(hash: Hex): Promise<ChainReceipt | null> {
    const found = await transactionOf(hash);
    if (!found) return fallBack("getReceipt", [hash.toLowerCase()], "the transaction's block is not in the bundle", missing(`getReceipt ${hash}`));
    const { body, index } = found;
    const logs = blockLogs(body).filter((log) => log.transactionHash === body.transactions[index]!.hash);
    return provenAnswer({
      transactionHash: body.transactions[index]!.hash,
      status: body.receipts[index]!.status,
      blockNumber: body.number.toString(),
      blockHash: body.blockHash,
      logs,
    });
  }

  async function transactionAt(hash: Hex): Promise<ChainTransaction | null> {
    const found = await transactionOf(hash);
    if (!found) return fallBack("getTransaction", [hash.toLowerCase()], "the transaction's block is not in the bundle", missing(`getTransaction ${hash}`));
    const { body, index } = found;
    const raw = body.transactions[index]!.raw;
    const to = parseTransaction(raw).to ?? null;
    // The sender is recovered from the signature: nothing in the bundle says who sent it.
    const from = await recoverTransactionAddress({ serializedTransaction: raw as never });
    return provenAnswer({
      transactionHash: body.transactions[index]!.hash,
      from: from.toLowerCase() as Address,
      to: to === null ? null : (to.toLowerCase() as Address),
      blockNumber: body.number.toString(),
      blockHash: body.blockHash,
    });
  }

  return { reader, unprovenClaims: () => [...unproven.values()], provenAnswers: () => proven };
}
