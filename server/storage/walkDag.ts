import type { CID } from "multiformats/cid";

import * as dagPb from "@ipld/dag-pb";
import * as raw from "multiformats/codecs/raw";
import { blockKey } from "vermilion-verify/content/blockKey.js";
import { blockBytes, type BlockGetter } from "./blockBytes.js";
import { VermilionError } from "../errors/VermilionError.js";

export type WalkDagParameters = {
  roots: CID[];
  /** Blocks already emitted by an earlier walk that shares this `seen` set are skipped. */
  seen?: Set<string>;
  signal?: AbortSignal;
};

export type WalkDagReturnType = AsyncGenerator<{ cid: CID; bytes: Uint8Array }>;

/**
 * Every block under `roots`, depth-first in link order, each block once (the order and
 * duplicate rule of a trustless-gateway CAR: `order=dfs; dups=n`). Blocks are keyed by codec and
 * multihash, so a CIDv0 and a CIDv1 dag-pb link to the same node count as one block.
 */
export async function* walkDag(blockstore: BlockGetter, parameters: WalkDagParameters): WalkDagReturnType {
  const seen = parameters.seen ?? new Set<string>();
  const stack: CID[] = [...parameters.roots].reverse();
  while (stack.length > 0) {
    const cid = stack.pop()!;
    const key = blockKey(cid);
    if (seen.has(key)) continue;
    seen.add(key);
    const bytes = await blockBytes(blockstore, cid, { signal: parameters.signal });
    yield { cid, bytes };
    for (const child of childLinks(cid, bytes).reverse()) stack.push(child);
  }
}


/** The CIDs a block links to, for the codecs UnixFS uses. */
export function childLinks(cid: CID, bytes: Uint8Array): CID[] {
  switch (cid.code) {
    case raw.code:
      return [];
    case dagPb.code:
      return dagPb.decode(bytes).Links.map((link) => link.Hash);
    default:
      throw new VermilionError("UNSUPPORTED_CODEC", { codec: `0x${cid.code.toString(16)}` });
  }
}
