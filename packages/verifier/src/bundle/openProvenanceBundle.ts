import type { Hex } from "viem";
import type { OpenBundleProofsReturnType } from "../proofs/openBundleProofs.js";
import type { StateProofsLibrary } from "../proofs/provenState.js";
import type { ChainReader } from "../chainReader.js";
import type { ContentSource } from "../content/contentSource.js";
import type { ProvenanceBundle } from "./provenanceBundle.js";

import * as json from "multiformats/codecs/json";

import { BundleProofError } from "../proofs/bundleProofError.js";
import { VerifierError } from "../verifierError.js";
import { verifyBlock } from "../content/verifyBlock.js";
import { blockKey } from "../content/blockKey.js";
import { createCarContentSource } from "../content/createCarContentSource.js";
import { readCarBlocks } from "../content/readCarBlocks.js";
import { createReplayChainReader } from "../createReplayChainReader.js";
import { provenanceBundleSchema } from "./provenanceBundle.js";

export interface OpenProvenanceBundleOptions {
  /**
   * The block hash the reader trusts (--trust-block): the bundle's pinned header must hash to it, and
   * everything else is proven from it. Refused for a version 1 or 2 bundle, which carries no proofs.
   */
  trustedBlockHash?: Hex;
  /** The state-proof library that checks a version 3 bundle's account and storage proofs (this package's by default). */
  stateProofs?: StateProofsLibrary | null;
}

export interface OpenProvenanceBundleReturnType {
  bundle: ProvenanceBundle;
  /**
   * Version 3: answers only from the bundle's proofs (plus the claims its maker declared unproven).
   * Versions 1 and 2: answers from the bundle's recording only.
   */
  chain: ChainReader;
  /** Version 3: the proven chain and the `bundle.proofs` check to append after the verification. */
  proofs?: OpenBundleProofsReturnType;
  /** The bundle's blocks; each is still hashed against its CID when read. */
  content: ContentSource;
}

/**
 * Reads a provenance bundle CAR: its root block (hash-checked, schema-checked), a chain reader and its
 * blocks. A version 3 bundle's proofs are all checked here, before any answer is read: a header, block
 * body or state proof that fails throws a BundleProofError whose code and details name it.
 */
export async function openProvenanceBundle(car: Uint8Array, description = "car", options: OpenProvenanceBundleOptions = {}): Promise<OpenProvenanceBundleReturnType> {
  const { roots, blocks } = await readCarBlocks(car);
  const rootCid = roots[0];
  if (!rootCid || rootCid.code !== json.code) throw new VerifierError("BUNDLE_INVALID", { reason: "the CAR's first root is not a JSON block" });
  const rootBytes = blocks.get(blockKey(rootCid));
  if (!rootBytes) throw new VerifierError("BUNDLE_INVALID", { reason: "the root block is missing" });
  try {
    await verifyBlock(rootCid, rootBytes);
  } catch (error) {
    throw new VerifierError("BUNDLE_INVALID", { reason: "the root block does not match its CID" }, { cause: error });
  }
  const parsed = provenanceBundleSchema.safeParse(json.decode(rootBytes));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VerifierError("BUNDLE_INVALID", { reason: `${issue.path.join(".")}: ${issue.message}` });
  }
  const bundle = parsed.data;
  const pinnedBlock = { number: bundle.pinnedBlock.number, hash: bundle.pinnedBlock.hash as `0x${string}`, timestamp: bundle.pinnedBlock.timestamp };
  if (bundle.proofs) {
    // The proofs' code (RLP, tries, an EVM) loads only for a bundle that carries proofs: a browser page that
    // verifies from an RPC endpoint never fetches it (web/src/verify/runVerifierInBrowser.ts preloads it
    // for offline use).
    const { openBundleProofs } = await import("../proofs/openBundleProofs.js");
    const proofs = await openBundleProofs({
      proofs: bundle.proofs,
      pinned: { number: BigInt(pinnedBlock.number), hash: pinnedBlock.hash },
      chainId: bundle.chainId,
      answers: bundle.answers,
      ...(options.trustedBlockHash !== undefined ? { trustedHash: options.trustedBlockHash } : {}),
      ...(options.stateProofs !== undefined ? { stateProofs: options.stateProofs } : {}),
    });
    return { bundle, chain: proofs.chain, proofs, content: createCarContentSource(description, blocks) };
  }
  if (options.trustedBlockHash !== undefined) throw new BundleProofError("BUNDLE_HAS_NO_PROOFS", { version: bundle.version });
  return {
    bundle,
    chain: createReplayChainReader(pinnedBlock, bundle.answers),
    content: createCarContentSource(description, blocks),
  };
}
