import type { Blockstore } from "interface-blockstore";
import type { CID } from "multiformats/cid";

/**
 * Wrap a blockstore so a block already on disk is not rewritten and concurrent puts of the same
 * block share one write.
 *
 * Why: the importer writes blocks in parallel and a file with repeated chunks (zero padding, silence)
 * yields the same block many times; each fsynced rewrite of an existing block is wasted I/O, and
 * a blockstore that names its temp file after the target (as blockstore-fs does) makes concurrent
 * puts of one block collide and stall ~1 s in rename retries.
 */
export function singleFlightPuts<T extends Pick<Blockstore, "put" | "has">>(blockstore: T): Pick<Blockstore, "put"> {
  const inFlight = new Map<string, Promise<CID>>();
  return {
    put(cid, bytes, options) {
      const key = Buffer.from(cid.multihash.bytes).toString("base64");
      const pending = inFlight.get(key);
      if (pending !== undefined) return pending;
      const write = (async () => {
        try {
          if (await blockstore.has(cid, options)) return cid;
          return await blockstore.put(cid, bytes, options);
        } finally {
          inFlight.delete(key);
        }
      })();
      inFlight.set(key, write);
      return write;
    },
  };
}
