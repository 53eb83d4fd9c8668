import type { CID } from "multiformats/cid";
import type { ContentSource } from "./contentSource.js";

import { VerifierError } from "../verifierError.js";
import { blockKey } from "./blockKey.js";

/** Blocks from a CAR already read into memory (`readCarBlocks`); a block it lacks is CONTENT_NOT_FOUND. */
export function createCarContentSource(description: string, blocks: ReadonlyMap<string, Uint8Array>): ContentSource {
  return {
    description,
    async getBlock(cid: CID) {
      const bytes = blocks.get(blockKey(cid));
      if (!bytes) throw new VerifierError("CONTENT_NOT_FOUND", { cid: cid.toString() });
      return bytes;
    },
  };
}
