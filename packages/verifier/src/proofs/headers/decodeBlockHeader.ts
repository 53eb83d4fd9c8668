import type { Hex } from "viem";
import type { ProvenHeader } from "./blockHeader.js";

import { RLP } from "@ethereumjs/rlp";
import { bytesToBigInt, bytesToHex, keccak256 } from "viem";

import { BundleProofError } from "../bundleProofError.js";
import { HEADER_FIELDS, REQUIRED_HEADER_FIELDS } from "./blockHeader.js";

/**
 * Decodes a header's RLP and hashes it. The hash is computed here, never read from the bundle: whatever
 * the bundle says a block's hash is, this is what its header really hashes to. `position` names the
 * header in errors (its place in the bundle) until its number is known.
 */
export function decodeBlockHeader(rlp: Hex, position: string): ProvenHeader {
  let fields: Uint8Array[];
  try {
    const decoded = RLP.decode(rlp);
    if (!Array.isArray(decoded) || decoded.some((field) => !(field instanceof Uint8Array))) throw new Error("not a list of byte strings");
    fields = decoded as Uint8Array[];
  } catch (error) {
    throw new BundleProofError("BUNDLE_HEADER_INVALID", { block: position, reason: (error as Error).message }, { cause: error });
  }
  if (fields.length < REQUIRED_HEADER_FIELDS || fields.length > HEADER_FIELDS.length) {
    throw new BundleProofError("BUNDLE_HEADER_INVALID", { block: position, reason: `${fields.length} fields` });
  }
  const bytes = (index: number): Hex => bytesToHex(fields[index]!);
  const integer = (index: number): bigint => (fields[index]!.length === 0 ? 0n : bytesToBigInt(fields[index]!));
  const sizes: Array<[number, number]> = [[0, 32], [3, 32], [4, 32], [5, 32], [6, 256], [2, 20]];
  for (const [index, size] of sizes) {
    if (fields[index]!.length !== size) {
      throw new BundleProofError("BUNDLE_HEADER_INVALID", { block: position, reason: `${HEADER_FIELDS[index]!.name} is ${fields[index]!.length} bytes, not ${size}` });
    }
  }
  return {
    hash: keccak256(rlp),
    number: integer(8),
    parentHash: bytes(0),
    miner: bytes(2),
    stateRoot: bytes(3),
    transactionsRoot: bytes(4),
    receiptsRoot: bytes(5),
    logsBloom: bytes(6),
    gasLimit: integer(9),
    timestamp: integer(11),
    mixHash: bytes(13),
    baseFeePerGas: fields.length > 15 ? integer(15) : null,
    excessBlobGas: fields.length > 18 ? integer(18) : null,
    rlp: rlp.toLowerCase() as Hex,
  };
}
