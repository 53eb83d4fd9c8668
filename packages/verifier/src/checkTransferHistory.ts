import type { Address } from "viem";
import type { ChainLog } from "./chainReader.js";
import type { VerificationSession } from "./createVerificationSession.js";
import type { CheckResult } from "./report.js";

import { getAddress, zeroAddress } from "viem";

import { vermilionCollectionAbi } from "./abis/VermilionCollection.js";
import { readContract } from "./readContract.js";
import { failed, passed } from "./report.js";

const NAME = "history.transfers";

/** One Transfer of the token as the report cites it. */
export interface TransferEvent {
  blockNumber: string;
  blockHash: string;
  logIndex: number;
  transactionHash: string;
  from: string;
  to: string;
  receiptStatus: "success" | "reverted" | "missing";
}

export interface CheckTransferHistoryReturnType {
  check: CheckResult;
  /** The successful transfers, oldest first (what the API's provenance must equal). */
  events: TransferEvent[];
  /** The holder at the pinned block; null when burned or never minted. */
  owner: string | null;
  burned: boolean;
  /** Timestamp (unix seconds) of the last successful transfer's block: when the holder acquired it. */
  acquiredAt: bigint | null;
  mintCount: number;
}

function topicAddress(topic: string | undefined): string {
  return getAddress(`0x${(topic ?? "").slice(26)}`);
}

function sameLog(a: ChainLog, b: ChainLog): boolean {
  return (
    a.logIndex === b.logIndex &&
    a.address.toLowerCase() === b.address.toLowerCase() &&
    a.data.toLowerCase() === b.data.toLowerCase() &&
    a.topics.length === b.topics.length &&
    a.topics.every((topic, index) => topic.toLowerCase() === b.topics[index]?.toLowerCase())
  );
}

/**
 * Rebuilds the token's history from raw Transfer logs, from the collection's creation to the pinned
 * block, and checks it link by link.
 * 1. Each log's transaction has a receipt, succeeded, and the receipt holds that very log.
 * 2. Each log's block hash is the canonical block at its height.
 * 3. Exactly one mint, each transfer leaves from the previous holder, nothing after a burn.
 * 4. The last holder is what `ownerOf` says at the pinned block (or the token no longer exists).
 * Logs of failed transactions never enter the history; their presence fails the check all the same.
 */
export async function checkTransferHistory(session: VerificationSession, tokenId: bigint): Promise<CheckTransferHistoryReturnType> {
  const { chain } = session.deps;
  const logs = await session.transferLogs(tokenId);
  const problems: Array<{ code: string; detail: string }> = [];
  const events: TransferEvent[] = [];
  const cited: TransferEvent[] = [];
  let acquiredBlock: bigint | null = null;

  for (const log of logs) {
    const event: TransferEvent = {
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      logIndex: log.logIndex,
      transactionHash: log.transactionHash,
      from: topicAddress(log.topics[1]),
      to: topicAddress(log.topics[2]),
      receiptStatus: "missing",
    };
    cited.push(event);
    const receipt = await chain.getReceipt(log.transactionHash);
    if (!receipt) {
      problems.push({ code: "HISTORY_LOG_WITHOUT_RECEIPT", detail: `No receipt for ${log.transactionHash} (log ${log.logIndex}).` });
      continue;
    }
    event.receiptStatus = receipt.status;
    if (receipt.status !== "success") {
      problems.push({
        code: "HISTORY_FAILED_TRANSACTION_LOG",
        detail: `A Transfer log was presented from ${log.transactionHash}, a transaction that reverted; it is not part of the history.`,
      });
      continue;
    }
    if (receipt.blockHash !== log.blockHash || !receipt.logs.some((inReceipt) => sameLog(inReceipt, log))) {
      problems.push({ code: "HISTORY_LOG_NOT_IN_RECEIPT", detail: `The receipt of ${log.transactionHash} does not hold log ${log.logIndex} as presented.` });
      continue;
    }
    const block = await chain.getBlock(BigInt(log.blockNumber));
    if (block.hash !== log.blockHash) {
      problems.push({ code: "HISTORY_BLOCK_HASH_MISMATCH", detail: `Log ${log.logIndex} cites block ${log.blockHash}, but block ${log.blockNumber} is ${block.hash}.` });
      continue;
    }
    events.push(event);
    acquiredBlock = BigInt(log.blockNumber);
  }

  let holder: string | null = null;
  let burned = false;
  let mintCount = 0;
  for (const [index, event] of events.entries()) {
    if (event.from === zeroAddress) {
      mintCount += 1;
      if (index !== 0) problems.push({ code: "HISTORY_DUPLICATE_MINT", detail: `Token ${tokenId} is minted again in ${event.transactionHash}.` });
    } else if (index === 0) {
      problems.push({ code: "HISTORY_NO_MINT", detail: `The history of token ${tokenId} does not start with a mint.` });
    } else if (event.from !== holder) {
      problems.push({ code: "HISTORY_BROKEN_CHAIN", detail: `${event.transactionHash} moves the token from ${event.from}, but ${holder ?? "nobody"} held it.` });
    }
    if (burned) problems.push({ code: "HISTORY_AFTER_BURN", detail: `${event.transactionHash} moves the token after it was burned.` });
    burned = event.to === zeroAddress;
    holder = burned ? null : event.to;
  }

  const ownerRead = await readContract(chain, { address: session.contract, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [tokenId] });
  const owner = ownerRead.ok ? getAddress(ownerRead.value as Address) : null;
  if (owner !== holder) {
    problems.push({
      code: "HISTORY_OWNER_MISMATCH",
      detail: `The history ends with ${holder ?? "no holder"}, but ownerOf(${tokenId}) is ${owner ?? "no one (reverts)"} at the pinned block.`,
    });
  }
  if (events.length === 0 && problems.length === 0) {
    problems.push({ code: "HISTORY_NO_MINT", detail: `Token ${tokenId} has no Transfer events: it was never minted.` });
  }

  const acquiredAt = acquiredBlock === null ? null : BigInt((await chain.getBlock(acquiredBlock)).timestamp);
  const evidence = { events: cited, owner, burned, mintCount, problems };
  const first = problems[0];
  const check = first
    ? failed(NAME, first.code, first.detail, evidence)
    : passed(
        NAME,
        burned
          ? `Token ${tokenId} has ${events.length} successful transfers ending in its burn.`
          : `Token ${tokenId} has ${events.length} successful transfers ending with ${owner}, as ownerOf says.`,
        evidence,
      );
  return { check, events, owner, burned, acquiredAt, mintCount };
}
