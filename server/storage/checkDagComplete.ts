import type { CID } from "multiformats/cid";

import { blockBytes, type BlockGetter } from "./blockBytes.js";
import { VermilionError } from "../errors/VermilionError.js";
import { blockKey } from "vermilion-verify/content/blockKey.js";

import { childLinks } from "./walkDag.js";

export type CheckDagCompleteParameters = { root: CID; concurrency?: number; signal?: AbortSignal };

export type CheckDagCompleteReturnType = { blockCount: number };

/**
 * Prove every block under `root` is present by reading them all, many at a time (order does not
 * matter here, unlike a CAR). Throws CONTENT_NOT_FOUND naming the first missing block.
 */
export async function checkDagComplete(blockstore: BlockGetter, parameters: CheckDagCompleteParameters): Promise<CheckDagCompleteReturnType> {
  const seen = new Set<string>([blockKey(parameters.root)]);
  const queue: CID[] = [parameters.root];
  let blockCount = 0;
  let failure: unknown;
  const worker = async () => {
    while (queue.length > 0 && failure === undefined) {
      const cid = queue.pop()!;
      try {
        const bytes = await blockBytes(blockstore, cid, { signal: parameters.signal });
        blockCount++;
        for (const child of childLinks(cid, bytes)) {
          const key = blockKey(child);
          if (!seen.has(key)) {
            seen.add(key);
            queue.push(child);
          }
        }
      } catch (error) {
        failure ??= error;
      }
    }
  };
  // Workers exit when the queue is momentarily empty while others are still reading, so loop until
  // no work was left behind.
  while (queue.length > 0 && failure === undefined) {
    await Promise.all(Array.from({ length: parameters.concurrency ?? 32 }, worker));
  }
  if (failure !== undefined) {
    if (failure instanceof VermilionError) throw failure;
    throw new VermilionError("CONTENT_NOT_FOUND", { cid: parameters.root.toString() }, { cause: failure });
  }
  return { blockCount };
}
