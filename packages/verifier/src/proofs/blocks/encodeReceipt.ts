import type { Hex } from "viem";

import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, concatBytes, hexToBytes } from "viem";

/** A receipt as `eth_getBlockReceipts` / `eth_getTransactionReceipt` answer it. */
export interface RpcReceipt {
  type: Hex;
  status?: Hex;
  root?: Hex;
  cumulativeGasUsed: Hex;
  logsBloom: Hex;
  logs: Array<{ address: Hex; topics: Hex[]; data: Hex }>;
}

/**
 * A receipt's consensus encoding (EIP-2718: the type byte, then the RLP of [status, cumulative gas,
 * bloom, logs]; a legacy receipt is the bare RLP), the value the block's receipts trie holds. Rebuilt
 * from the RPC's fields since endpoints seldom serve raw receipts; the trie root it must rebuild to is
 * the check that nothing was lost.
 */
export function encodeReceipt(receipt: RpcReceipt): Hex {
  const outcome = receipt.status !== undefined ? (BigInt(receipt.status) === 1n ? 1n : 0n) : hexToBytes(receipt.root!);
  const body = RLP.encode([
    outcome,
    BigInt(receipt.cumulativeGasUsed),
    hexToBytes(receipt.logsBloom),
    receipt.logs.map((log) => [hexToBytes(log.address), log.topics.map((topic) => hexToBytes(topic)), hexToBytes(log.data)]),
  ]);
  const type = Number(BigInt(receipt.type));
  return bytesToHex(type === 0 ? body : concatBytes([new Uint8Array([type]), body]));
}
