import type { Hex } from "viem";

import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, hexToBytes, keccak256 } from "viem";

import { HEADER_FIELDS, REQUIRED_HEADER_FIELDS } from "./blockHeader.js";

/** A block as `eth_getBlockByNumber` answers it (hex quantities and data). */
export type RpcBlock = Record<string, unknown> & { hash: Hex; number: Hex };

/**
 * Rebuilds a block header's RLP from an RPC block's fields, since endpoints (Anvil among them) do not
 * serve raw headers. Fork fields are included up to the last one the block has. The caller must check
 * that the result hashes to the block's hash (`encodeVerifiedBlockHeader`): a field this encoder does not
 * know would otherwise go unnoticed.
 */
export function encodeBlockHeader(block: RpcBlock): Hex {
  let last = REQUIRED_HEADER_FIELDS - 1;
  HEADER_FIELDS.forEach((field, index) => {
    if (block[field.name] !== undefined && block[field.name] !== null) last = Math.max(last, index);
  });
  const values = HEADER_FIELDS.slice(0, last + 1).map((field) => {
    const value = block[field.name];
    if (typeof value !== "string") throw new Error(`block ${BigInt(block.number)} has no ${field.name}`);
    return field.kind === "integer" ? BigInt(value) : hexToBytes(value as Hex);
  });
  return bytesToHex(RLP.encode(values));
}

/** The header's RLP, refused unless it hashes to the hash the endpoint gave for the block. */
export function encodeVerifiedBlockHeader(block: RpcBlock): Hex {
  const rlp = encodeBlockHeader(block);
  const hash = keccak256(rlp);
  if (hash !== block.hash.toLowerCase()) {
    throw new Error(`block ${BigInt(block.number)}'s fields encode to a header hashing to ${hash}, not ${block.hash}: this endpoint's block has fields this encoder does not know`);
  }
  return rlp;
}
