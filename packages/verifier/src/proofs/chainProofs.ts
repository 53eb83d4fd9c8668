import type { ProvenBlockBody } from "./blocks/blockBody.js";
import type { ProvenHeader } from "./headers/blockHeader.js";

import { z } from "zod";

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const decimal = z.string().regex(/^[0-9]+$/);

/**
 * What a version 3 bundle adds so that it needs no trust in its maker: headers hashed and chained up to
 * the pinned block, the full bodies of the blocks whose logs, receipts or transactions the verification
 * reads, the state proofs of its calls and code reads, and a list of what the maker could not prove.
 * Plain JSON (hex strings) in the bundle's root block.
 */
export const chainProofsSchema = z.object({
  /** The number of `headers[0]`; the headers run from there to the pinned block, one per block. */
  firstBlock: decimal,
  /** Each header's RLP. */
  headers: z.array(hex).min(1),
  blocks: z.array(z.object({ number: decimal, transactions: z.array(hex), receipts: z.array(hex) })),
  /** The state helper's proofs (account and storage proofs at the pinned block), or null when not collected. */
  state: z.unknown(),
  /**
   * The questions the maker could not prove, each with why (an endpoint without eth_getProof, say): the
   * only answers a verifier may take from the recording, and always listed as unproven in its report.
   */
  unproven: z.array(z.object({ question: z.string(), reason: z.string() })),
});

export type ChainProofs = z.infer<typeof chainProofsSchema>;

/** Where the verifier's trust in the pinned block's hash comes from. */
export type TrustAnchor = { hash: `0x${string}`; source: "trusted" } | { hash: `0x${string}`; source: "bundle" };

/** A bundle's chain data after every hash and root was checked: what the proven reader answers from. */
export interface ProvenChain {
  anchor: TrustAnchor;
  pinned: ProvenHeader;
  headers: Map<bigint, ProvenHeader>;
  bodies: Map<bigint, ProvenBlockBody>;
  firstBlock: bigint;
}
