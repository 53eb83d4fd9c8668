import type { Address, Hex, PublicClient } from "viem";
import type { RecordedAnswer } from "../chainReader.js";
import type { BlockBody } from "./blocks/blockBody.js";
import type { ChainProofs } from "./chainProofs.js";
import type { ProvenStateReader, StateProofsLibrary } from "./provenState.js";
import type { RpcBlock } from "./headers/encodeBlockHeader.js";
import type { RpcReceipt } from "./blocks/encodeReceipt.js";

import { answerKey } from "../chainReader.js";
import { bloomMayMatch } from "./blocks/bloomMayMatch.js";
import { encodeReceipt } from "./blocks/encodeReceipt.js";
import { askAgain, stableJson } from "./askAgain.js";
import { createProvenChainReader, provenChainId } from "./createProvenChainReader.js";
import { stateContextOf } from "./stateContextOf.js";
import { stateProofsLibrary } from "./stateProofsLibrary.js";
import { decodeBlockHeader } from "./headers/decodeBlockHeader.js";
import { encodeVerifiedBlockHeader } from "./headers/encodeBlockHeader.js";
import { verifyBlockBody } from "./blocks/verifyBlockBody.js";
import { verifyChainProofs } from "./verifyChainProofs.js";

export interface CollectChainProofsParameters {
  client: PublicClient;
  /** Every question the verification asked, with the answers it got (a recording). */
  answers: readonly RecordedAnswer[];
  pinned: { number: bigint; hash: Hex };
  /** The state-proof library (this package's by default); null leaves calls and code reads unproven. */
  stateProofs?: StateProofsLibrary | null;
  /** How many blocks are fetched at once. */
  concurrency?: number;
}

const hexNumber = (value: bigint): Hex => `0x${value.toString(16)}`;

/**
 * The endpoint's chain cannot be proven from block hashes at all (its headers have fields this verifier does
 * not know, from a newer fork or a chain of its own): a bundle maker then falls back to answers only (version
 * 2) and says why, rather than failing.
 */
export class ChainProofsUnavailableError extends Error {
  override readonly name = "ChainProofsUnavailableError";
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  return results;
}

/** A block's receipts: eth_getBlockReceipts, or one eth_getTransactionReceipt per transaction where that is missing. */
async function blockReceipts(client: PublicClient, block: RpcBlock): Promise<RpcReceipt[]> {
  try {
    const receipts = (await client.request({ method: "eth_getBlockReceipts" as never, params: [block.number] as never })) as RpcReceipt[] | null;
    if (receipts) return receipts;
  } catch {
    // Not every endpoint serves it; the per-transaction way is slower but standard.
  }
  const hashes = block.transactions as Hex[];
  return Promise.all(hashes.map(async (hash) => (await client.request({ method: "eth_getTransactionReceipt", params: [hash] })) as unknown as RpcReceipt));
}

async function blockBody(client: PublicClient, block: RpcBlock): Promise<BlockBody> {
  const count = (block.transactions as unknown[]).length;
  const indexes = Array.from({ length: count }, (_, index) => index);
  const transactions = await Promise.all(
    indexes.map(async (index) => (await client.request({ method: "eth_getRawTransactionByBlockNumberAndIndex" as never, params: [block.number, hexNumber(BigInt(index))] as never })) as Hex),
  );
  if (transactions.some((raw) => typeof raw !== "string")) throw new Error(`the endpoint has no raw transactions of block ${BigInt(block.number)}`);
  const receipts = (await blockReceipts(client, block)).map(encodeReceipt);
  return { number: BigInt(block.number).toString(), transactions, receipts };
}

/**
 * Collects what a verification's recorded questions need to be proven from one block hash: the headers
 * from the lowest block any question reaches up to the pinned one (RLP, each checked to hash to its
 * block's hash), the full bodies of every block whose bloom may match a log query or that holds a
 * receipt or transaction asked for, and the state proofs of the calls and code reads. Then it replays
 * every question on a proven reader over what it collected: a question that cannot be proven (an endpoint
 * without eth_getProof, say) is declared in `unproven` with why, so a verifier knows before it trusts.
 */
export async function collectChainProofs(parameters: CollectChainProofsParameters): Promise<ChainProofs> {
  const { client, answers, pinned } = parameters;
  const stateProofs = parameters.stateProofs === undefined ? stateProofsLibrary : parameters.stateProofs;
  const concurrency = parameters.concurrency ?? 16;
  let lowest = pinned.number;
  const lower = (value: bigint) => {
    if (value < lowest) lowest = value;
  };
  const logFilters: Array<{ address: Hex; topics: Array<Hex | null>; fromBlock: bigint }> = [];
  const bodyBlocks = new Set<bigint>();
  const calls: Array<{ to: Address; data: Hex }> = [];
  const codes: Address[] = [];
  for (const answer of answers) {
    const params = answer.params as unknown[];
    switch (answer.method) {
      case "getLogs": {
        const fromBlock = BigInt(params[2] as string);
        logFilters.push({ address: params[0] as Hex, topics: params[1] as Array<Hex | null>, fromBlock });
        lower(fromBlock);
        break;
      }
      case "getBlock":
        lower(BigInt(params[0] as string));
        break;
      case "getReceipt":
      case "getTransaction": {
        const result = answer.result as { blockNumber: string } | null;
        if (result) {
          lower(BigInt(result.blockNumber));
          bodyBlocks.add(BigInt(result.blockNumber));
        }
        break;
      }
      case "call":
        calls.push({ to: params[0] as Address, data: params[1] as Hex });
        break;
      case "getCode":
        codes.push(params[0] as Address);
        break;
    }
  }

  const numbers = Array.from({ length: Number(pinned.number - lowest) + 1 }, (_, index) => lowest + BigInt(index));
  const blocks = await inBatches(numbers, concurrency, async (number) => {
    const block = (await client.request({ method: "eth_getBlockByNumber", params: [hexNumber(number), false] })) as unknown as RpcBlock | null;
    if (!block) throw new Error(`the endpoint has no block ${number}`);
    return block;
  });
  if (blocks.at(-1)!.hash.toLowerCase() !== pinned.hash.toLowerCase()) throw new Error(`block ${pinned.number} is no longer ${pinned.hash} on this endpoint (a reorg?)`);
  let headers: Hex[];
  try {
    headers = blocks.map(encodeVerifiedBlockHeader);
  } catch (error) {
    throw new ChainProofsUnavailableError((error as Error).message, { cause: error });
  }

  for (const block of blocks) {
    const number = BigInt(block.number);
    if (logFilters.some((filter) => number >= filter.fromBlock && bloomMayMatch(block.logsBloom as Hex, filter))) bodyBlocks.add(number);
  }
  // A body the endpoint will not serve (no raw transactions, no receipts), or one this verifier cannot
  // rebuild to its header's roots (receipts of a kind it does not encode: pre-Byzantium state roots, an
  // L2's deposit receipts), is left out: the replay below then declares what depended on it unproven,
  // rather than the whole bundle failing.
  const bodies = (
    await inBatches(
      blocks.filter((block) => bodyBlocks.has(BigInt(block.number))),
      concurrency,
      async (block) => {
        try {
          const body = await blockBody(client, block);
          await verifyBlockBody(decodeBlockHeader(headers[Number(BigInt(block.number) - lowest)]!, body.number), body);
          return body;
        } catch {
          return null;
        }
      },
    )
  ).filter((body): body is BlockBody => body !== null);

  let state: unknown = null;
  const unprovenReasons: string[] = [];
  if (stateProofs && (calls.length > 0 || codes.length > 0)) {
    try {
      state = await stateProofs.collect(client, { calls, codes }, { number: pinned.number });
    } catch (error) {
      unprovenReasons.push(`state proofs could not be collected: ${(error as Error).message.split("\n")[0]}`);
    }
  }

  // Replay every question on what was collected: what it cannot prove is declared, never silently kept.
  const proofs: ChainProofs = { firstBlock: lowest.toString(), headers, blocks: bodies, state, unproven: [] };
  const chain = await verifyChainProofs({ proofs, pinned });
  let provenState: ProvenStateReader | null = null;
  let stateMissingReason = unprovenReasons[0] ?? (stateProofs ? "no state proofs" : "the bundle was built without state proofs");
  if (state !== null && stateProofs) {
    const chainId = provenChainId(chain) ?? Number(answers.find((answer) => answer.method === "getChainId")?.result ?? 0);
    const verified = await stateProofs.verify(state, stateContextOf(chain.pinned, chainId));
    if (verified.ok) provenState = verified.state;
    else stateMissingReason = `the state proofs do not verify: ${verified.code}: ${verified.detail}`;
  }
  const replay = createProvenChainReader({
    chain,
    state: provenState,
    stateMissingReason,
    answers,
    declaredUnproven: answers.map((answer) => ({ question: answerKey(answer.method, answer.params) })),
  });
  for (const answer of answers) {
    const result = await askAgain(replay.reader, answer);
    // The proven answer must be the one the verification got: a difference is a bug in the encoding here.
    if (!sameAnswer(answer.method, result, answer.result)) {
      throw new Error(`the proven answer to ${answer.method} ${JSON.stringify(answer.params).slice(0, 200)} differs from the endpoint's`);
    }
  }
  proofs.unproven = replay.unprovenClaims();
  return proofs;
}

/**
 * Whether a proven answer is the endpoint's. A revert is compared by its outcome only: viem gives the
 * RPC reader no revert data from some endpoints (Anvil's), while the offline EVM gives the real bytes, and
 * the checks read only whether a call reverted.
 */
function sameAnswer(method: string, proven: unknown, recorded: unknown): boolean {
  if (method === "call" && (proven as { ok?: boolean } | null)?.ok === false && (recorded as { ok?: boolean } | null)?.ok === false) return true;
  return stableJson(proven) === stableJson(recorded);
}
