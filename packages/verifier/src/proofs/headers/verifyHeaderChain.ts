import type { Hex } from "viem";
import type { ProvenHeader } from "./blockHeader.js";

import { BundleProofError } from "../bundleProofError.js";
import { decodeBlockHeader } from "./decodeBlockHeader.js";

export interface VerifyHeaderChainParameters {
  /** Each header's RLP, from `firstBlock` up to the pinned block. */
  headers: readonly Hex[];
  firstBlock: bigint;
  /** The pinned block as the bundle names it. */
  pinned: { number: bigint; hash: Hex };
  /** The block hash the reader trusts (--trust-block); the bundle's own pinned hash when absent. */
  trustedHash?: Hex;
}

/**
 * Proves a run of headers from the top down: the pinned header must hash to the trusted hash, and each
 * header below must hash to the parent hash named by the (already proven) header above it. So a header is
 * proven by the one trusted hash alone, and an altered header is named by its own block number.
 */
export function verifyHeaderChain(parameters: VerifyHeaderChainParameters): Map<bigint, ProvenHeader> {
  const { headers, firstBlock, pinned } = parameters;
  const expectedTop = firstBlock + BigInt(headers.length) - 1n;
  if (expectedTop !== pinned.number) {
    throw new BundleProofError("BUNDLE_HEADER_CHAIN_BROKEN", { block: pinned.number.toString(), parent: (pinned.number - 1n).toString(), reason: `the headers end at block ${expectedTop}, not at the pinned block` });
  }
  const proven = new Map<bigint, ProvenHeader>();
  const top = decodeBlockHeader(headers.at(-1)!, `${pinned.number} (pinned)`);
  if (top.hash !== pinned.hash.toLowerCase()) {
    throw new BundleProofError("BUNDLE_HEADER_HASH_MISMATCH", { block: pinned.number.toString(), actual: top.hash, expected: pinned.hash.toLowerCase() });
  }
  if (parameters.trustedHash !== undefined && top.hash !== parameters.trustedHash.toLowerCase()) {
    throw new BundleProofError("BUNDLE_PINNED_BLOCK_UNTRUSTED", { block: pinned.number.toString(), actual: top.hash, expected: parameters.trustedHash.toLowerCase() });
  }
  if (top.number !== pinned.number) {
    throw new BundleProofError("BUNDLE_HEADER_CHAIN_BROKEN", { block: pinned.number.toString(), parent: (pinned.number - 1n).toString(), reason: `the pinned header is block ${top.number}` });
  }
  proven.set(top.number, top);
  let child = top;
  for (let index = headers.length - 2; index >= 0; index--) {
    const number = firstBlock + BigInt(index);
    const header = decodeBlockHeader(headers[index]!, number.toString());
    if (header.hash !== child.parentHash) {
      throw new BundleProofError("BUNDLE_HEADER_HASH_MISMATCH", { block: number.toString(), actual: header.hash, expected: child.parentHash });
    }
    // Hashing to the parent hash proves the header; a number out of sequence means the chain itself is not one.
    if (header.number !== child.number - 1n) {
      throw new BundleProofError("BUNDLE_HEADER_CHAIN_BROKEN", { block: child.number.toString(), parent: number.toString() });
    }
    proven.set(header.number, header);
    child = header;
  }
  return proven;
}
