import type { ReadableStorage } from "ipfs-unixfs-exporter";
import type { CID } from "multiformats/cid";
import type { ContentStore } from "../contentStore.js";

export type GatewayStore = Pick<ContentStore, "getBlock" | "has">;

/**
 * A block reader over any content store, optionally noting every block it hands out, in order —
 * which is exactly the set of blocks a client needs to verify a path walk itself.
 */
export function blockReader(store: GatewayStore, visited?: CID[]): ReadableStorage {
  return {
    get: async function* (cid) {
      const bytes = await store.getBlock(cid);
      visited?.push(cid);
      yield bytes;
    },
  };
}
