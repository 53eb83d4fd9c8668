import type { Blockstore } from "interface-blockstore";
import type { CID } from "multiformats/cid";

/**
 * Wrap a blockstore so a block already on disk is not rewritten and concurrent puts of the same
 * block share one write.
 *
 * Why: blockstore-fs writes through `steno`, whose temp file name is derived from the target, so
 * two simultaneous puts of one block (a file with repeated chunks, e.g. zero padding, imported with
 * the importer's parallel block writes) race on the same temp file; the loser's rename fails and
 * steno retries it 10 times 100 ms apart — a ~1 s stall per duplicate chunk.
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
