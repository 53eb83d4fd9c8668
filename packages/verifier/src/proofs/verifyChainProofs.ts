import type { Hex } from "viem";
import type { ProvenBlockBody } from "./blocks/blockBody.js";
import type { ChainProofs, ProvenChain } from "./chainProofs.js";

import { verifyBlockBody } from "./blocks/verifyBlockBody.js";
import { BundleProofError } from "./bundleProofError.js";
import { verifyHeaderChain } from "./headers/verifyHeaderChain.js";

export interface VerifyChainProofsParameters {
  proofs: ChainProofs;
  /** The pinned block as the bundle names it. */
  pinned: { number: bigint; hash: Hex };
  /** The block hash the reader trusts; without it the bundle's pinned hash is the anchor (trusting its maker). */
  trustedHash?: Hex;
}

/**
 * Checks every header and block body of a bundle before any answer is read from it, throwing a
 * BundleProofError that names the first header or block that fails. What it returns is proven from the
 * anchor hash alone.
 */
export async function verifyChainProofs(parameters: VerifyChainProofsParameters): Promise<ProvenChain> {
  const { proofs, pinned } = parameters;
  const firstBlock = BigInt(proofs.firstBlock);
  const headers = verifyHeaderChain({
    headers: proofs.headers as Hex[],
    firstBlock,
    pinned,
    ...(parameters.trustedHash !== undefined ? { trustedHash: parameters.trustedHash } : {}),
  });
  const bodies = new Map<bigint, ProvenBlockBody>();
  for (const body of proofs.blocks) {
    const number = BigInt(body.number);
    const header = headers.get(number);
    if (!header) throw new BundleProofError("BUNDLE_HEADER_MISSING", { block: number.toString() });
    bodies.set(number, await verifyBlockBody(header, { number: body.number, transactions: body.transactions as Hex[], receipts: body.receipts as Hex[] }));
  }
  return {
    anchor: parameters.trustedHash !== undefined ? { hash: parameters.trustedHash.toLowerCase() as Hex, source: "trusted" } : { hash: pinned.hash.toLowerCase() as Hex, source: "bundle" },
    pinned: headers.get(pinned.number)!,
    headers,
    bodies,
    firstBlock,
  };
}
