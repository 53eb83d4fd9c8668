import type { IndexedBlock } from "../types.js";
import type { RpcLog } from "./decodeLog.js";

import { decodeEventLog, getAddress, encodeEventTopics, pad, parseAbiItem, toHex } from "viem";
import { describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { decodeLog, isRowDerivedTransfer } from "./decodeLog.js";

const block: IndexedBlock = { number: 7n, hash: `0x${"11".repeat(32)}`, parentHash: `0x${"22".repeat(32)}`, timestamp: 1_700_000_000n };

function rpcLog(topics: string[], data = "0x"): RpcLog {
  return {
    address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    topics,
    data,
    blockNumber: "0x7",
    blockHash: block.hash,
    transactionHash: `0x${"ab".repeat(32)}`,
    transactionIndex: "0x0",
    logIndex: "0x3",
  };
}

function transferTopics(from: `0x${string}`, to: `0x${string}`, tokenId: bigint): string[] {
  return encodeEventTopics({ abi: vermilionCollectionAbi, eventName: "Transfer", args: { from, to, tokenId } }) as string[];
}

describe("decodeLog", () => {
  test("decodes an ERC-721 Transfer as viem's decodeEventLog does, and marks it rebuildable from its transfer row", () => {
    const cases: Array<[`0x${string}`, `0x${string}`, bigint]> = [
      ["0x0000000000000000000000000000000000000000", "0xabcdef0123456789abcdef0123456789abcdef01", 1_000_001n],
      ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x0000000000000000000000000000000000000000", 999_999_000_000n],
      ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", 2n ** 63n - 1n],
    ];
    for (const [from, to, tokenId] of cases) {
      const topics = transferTopics(from, to, tokenId);
      const log = decodeLog(31337n, rpcLog(topics), block);
      const viaViem = decodeEventLog({ abi: vermilionCollectionAbi, topics: topics as [`0x${string}`], data: "0x", strict: true });
      expect(log.eventName).toBe(viaViem.eventName);
      expect(log.args).toEqual({ from: from.toLowerCase(), to: to.toLowerCase(), tokenId });
      expect(viaViem.args).toEqual({ from: getAddress(from), to: getAddress(to), tokenId });
      expect(log.topics).toEqual(transferTopics(from, to, tokenId).map((topic) => topic.toLowerCase()));
      expect(isRowDerivedTransfer(log)).toBe(true);
    }
  });

  test("keeps raw what a transfer row could not give back: token ids past int8, non-zero address padding", () => {
    const huge = decodeLog(31337n, rpcLog(transferTopics("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", 2n ** 63n)), block);
    expect(huge.eventName).toBe("Transfer");
    expect(isRowDerivedTransfer(huge)).toBe(false);

    const topics = transferTopics("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", 5n);
    const dirty = [topics[0]!, `0xff${topics[1]!.slice(4)}`, topics[2]!, topics[3]!];
    const padded = decodeLog(31337n, rpcLog(dirty), block);
    // Decoded by viem (the low 20 bytes, as the contract reads an address), but not rebuildable.
    expect(padded.eventName).toBe("Transfer");
    expect(padded.args).toMatchObject({ from: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" });
    expect(isRowDerivedTransfer(padded)).toBe(false);
  });

  test("an ERC-20 Transfer (3 topics, the amount in data) is not taken for an ERC-721 one", () => {
    const erc20 = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");
    const topics = encodeEventTopics({ abi: [erc20], args: { from: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", to: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" } }) as string[];
    const log = decodeLog(31337n, rpcLog(topics, pad(toHex(10n ** 18n))), block);
    expect(log.eventName).toBeNull();
    expect(log.args).toEqual({});
    expect(isRowDerivedTransfer(log)).toBe(false);
  });
});
