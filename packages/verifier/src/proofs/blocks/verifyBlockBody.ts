import type { Address, Hex } from "viem";
import type { ProvenHeader } from "../headers/blockHeader.js";
import type { BlockBody, ProvenBlockBody, ProvenReceipt } from "./blockBody.js";

import { createMPT } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, hexToBytes, keccak256 } from "viem";

import { BundleProofError } from "../bundleProofError.js";

/** The root of the trie a block keeps a list in: item i under the key RLP(i) (transactions, receipts). */
async function listTrieRoot(items: readonly Hex[]): Promise<Hex> {
  const trie = await createMPT();
  for (const [index, item] of items.entries()) await trie.put(RLP.encode(index), hexToBytes(item));
  return bytesToHex(trie.root());
}

function decodeReceipt(encoded: Hex, block: bigint, index: number): ProvenReceipt {
  const fail = (reason: string): never => {
    throw new BundleProofError("BUNDLE_RECEIPT_INVALID", { block: block.toString(), index, reason });
  };
  const bytes = hexToBytes(encoded);
  // A typed receipt starts with its type (< 0x80); a legacy one is an RLP list (>= 0xc0).
  const body = bytes.length > 0 && bytes[0]! < 0x80 ? bytes.subarray(1) : bytes;
  let fields: unknown;
  try {
    fields = RLP.decode(body);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (!Array.isArray(fields) || fields.length !== 4) return fail("not a list of 4 fields");
  const [outcome, , , logs] = fields as [Uint8Array, Uint8Array, Uint8Array, unknown];
  if (!(outcome instanceof Uint8Array) || outcome.length > 1) return fail("a state root instead of a status (pre-Byzantium): no status to prove");
  if (!Array.isArray(logs)) return fail("logs are not a list");
  return {
    status: outcome.length === 1 && outcome[0] === 1 ? "success" : "reverted",
    logs: logs.map((log: unknown) => {
      if (!Array.isArray(log) || log.length !== 3) return fail("a log is not [address, topics, data]");
      const [address, topics, data] = log as [Uint8Array, Uint8Array[], Uint8Array];
      if (!(address instanceof Uint8Array) || address.length !== 20 || !Array.isArray(topics) || !(data instanceof Uint8Array)) return fail("a log's fields are malformed");
      return {
        address: bytesToHex(address) as Address,
        topics: topics.map((topic) => (topic instanceof Uint8Array && topic.length === 32 ? bytesToHex(topic) : fail("a topic is not 32 bytes"))),
        data: bytesToHex(data),
      };
    }),
  };
}

/**
 * Checks a block's transactions and receipts against its (already proven) header by rebuilding both
 * tries with @ethereumjs/mpt, then decodes them. After this, every log, status and transaction hash the
 * verifier reads of the block is the chain's, and the lists are the block's complete lists.
 */
export async function verifyBlockBody(header: ProvenHeader, body: BlockBody): Promise<ProvenBlockBody> {
  const block = header.number.toString();
  const transactions = body.transactions.map((raw) => raw.toLowerCase() as Hex);
  const receipts = body.receipts.map((raw) => raw.toLowerCase() as Hex);
  const transactionsRoot = await listTrieRoot(transactions);
  if (transactionsRoot !== header.transactionsRoot) {
    throw new BundleProofError("BUNDLE_TRANSACTIONS_ROOT_MISMATCH", { block, actual: transactionsRoot, expected: header.transactionsRoot });
  }
  const receiptsRoot = await listTrieRoot(receipts);
  if (receiptsRoot !== header.receiptsRoot) {
    throw new BundleProofError("BUNDLE_RECEIPTS_ROOT_MISMATCH", { block, actual: receiptsRoot, expected: header.receiptsRoot });
  }
  return {
    number: header.number,
    blockHash: header.hash,
    transactions: transactions.map((raw, index) => ({ hash: keccak256(raw), raw, index })),
    receipts: receipts.map((encoded, index) => decodeReceipt(encoded, header.number, index)),
  };
}
