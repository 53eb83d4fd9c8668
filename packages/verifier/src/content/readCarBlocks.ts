import type { CID } from "multiformats/cid";

import { CarBlockIterator } from "@ipld/car/iterator";

import { VerifierError } from "../verifierError.js";
import { blockKey } from "./blockKey.js";

export interface ReadCarBlocksReturnType {
  roots: CID[];
  /** Blocks by `blockKey` (codec + multihash). Not yet verified: readers hash each block they use. */
  blocks: Map<string, Uint8Array>;
}

/** Every block of a CARv1 held in memory, keyed for lookup; a malformed CAR is CAR_INVALID. */
export async function readCarBlocks(car: Uint8Array): Promise<ReadCarBlocksReturnType> {
  try {
    const reader = await CarBlockIterator.fromBytes(car);
    const blocks = new Map<string, Uint8Array>();
    for await (const block of reader) blocks.set(blockKey(block.cid), block.bytes);
    return { roots: await reader.getRoots(), blocks };
  } catch (error) {
    throw new VerifierError("CAR_INVALID", { reason: (error as Error).message }, { cause: error });
  }
}
