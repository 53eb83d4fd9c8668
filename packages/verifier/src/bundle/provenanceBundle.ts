import { z } from "zod";

import { chainProofsSchema } from "../proofs/chainProofs.js";

/** What identifies a bundle's root block. */
export const BUNDLE_FORMAT = "vermilion-provenance-bundle";

const hex = z.string().regex(/^0x[0-9a-f]*$/);

/**
 * The root block of a provenance bundle (canonical JSON, codec `json`): the chain, contract and edition,
 * the pinned block, a readable list of the edition's transfer events, and every chain answer a
 * verification of the edition needed, so `--car` verifies with no network at all. The metadata and
 * media blocks are further blocks (and roots) of the same CAR.
 */
export const provenanceBundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  /**
   * 2 records the role answers the issuer checks ask (report version 2); a version 1 bundle replays as a
   * version 1 report. 3 adds `proofs`: the checks then read only what the proofs prove.
   */
  version: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  chainId: z.number().int().positive(),
  contract: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  factory: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  editionId: z.string().regex(/^[0-9]+$/),
  /** Where the search for the collection's creation started; replaying the bundle searches from there too. */
  factoryFromBlock: z.string().regex(/^[0-9]+$/),
  pinnedBlock: z.object({ number: z.string().regex(/^[0-9]+$/), hash: hex, timestamp: z.string().regex(/^[0-9]+$/) }),
  metadataCid: z.string(),
  mediaCid: z.string(),
  events: z.array(
    z.object({
      tokenId: z.string(),
      blockNumber: z.string(),
      blockHash: hex,
      logIndex: z.number().int(),
      transactionHash: hex,
      from: z.string(),
      to: z.string(),
      receiptStatus: z.string(),
    }),
  ),
  /**
   * The recorded answers. Version 3 keeps only those of the claims `proofs.unproven` declares (everything
   * else is derived from the proofs); the --rpc cross-check compares them, and the pinned hash, with the chain.
   */
  answers: z.array(z.object({ method: z.string(), params: z.unknown(), result: z.unknown() })),
  /** Version 3: headers, block bodies and state proofs (packages/verifier/src/proofs/chainProofs.ts). */
  proofs: chainProofsSchema.optional(),
}).refine((bundle) => (bundle.version === 3) === (bundle.proofs !== undefined), { message: "a version 3 bundle carries proofs, and only it", path: ["proofs"] });

export type ProvenanceBundle = z.infer<typeof provenanceBundleSchema>;
