import type { CID } from "multiformats/cid";
import type { Blockstore } from "interface-blockstore";

import { VermilionError } from "../errors/VermilionError.js";

export type BlockGetter = Pick<Blockstore, "get">;

/**
 * One block as a single buffer. Blockstores from interface-blockstore 7 return blocks as
 * generators of chunks, so every caller that needs the whole block goes through here.
 */
export async function blockBytes(blockstore: BlockGetter, cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of blockstore.get(cid, options)) {
      chunks.push(chunk);
      length += chunk.byteLength;
    }
  } catch (error) {
    // Matched by name: interface-store blockstores (e.g. Helia's) throw a NotFoundError class we do not import.
    if ((error as { name?: string } | null)?.name === "NotFoundError") {
      throw new VermilionError("CONTENT_NOT_FOUND", { cid: cid.toString() }, { cause: error });
    }
    throw error;
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
