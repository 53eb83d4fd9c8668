import type { ChainReader } from "../chainReader.js";
import type { ContentSource } from "../content/contentSource.js";
import type { ProvenanceBundle } from "./provenanceBundle.js";

import * as json from "multiformats/codecs/json";

import { VerifierError } from "../verifierError.js";
import { verifyBlock } from "../content/verifyBlock.js";
import { blockKey } from "../content/blockKey.js";
import { createCarContentSource } from "../content/createCarContentSource.js";
import { readCarBlocks } from "../content/readCarBlocks.js";
import { createReplayChainReader } from "../createReplayChainReader.js";
import { provenanceBundleSchema } from "./provenanceBundle.js";

export interface OpenProvenanceBundleReturnType {
  bundle: ProvenanceBundle;
  /** Answers from the bundle's recording only. */
  chain: ChainReader;
  /** The bundle's blocks; each is still hashed against its CID when read. */
  content: ContentSource;
}

/** Reads a provenance bundle CAR: its root block (hash-checked, schema-checked), a replay chain and its blocks. */
export async function openProvenanceBundle(car: Uint8Array, description = "car"): Promise<OpenProvenanceBundleReturnType> {
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
  return {
    bundle,
    chain: createReplayChainReader(pinnedBlock, bundle.answers),
    content: createCarContentSource(description, blocks),
  };
}
