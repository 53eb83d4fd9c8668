import type { ContentStore } from "../storage/contentStore.js";
import type { ContentSource } from "vermilion-verify/content/contentSource.js";

import { isVermilionError, VermilionError } from "../errors/VermilionError.js";

/**
 * Blocks straight from the platform's own store; the verifier hashes them like any other source's. A
 * remote store's own error text never reaches a public report: the report says the store failed, the
 * text stays in the error's cause.
 */
export function createStoreContentSource(store: Pick<ContentStore, "getBlock">): ContentSource {
  return {
    description: "store",
    async getBlock(cid) {
      try {
        return await store.getBlock(cid);
      } catch (error) {
        if (isVermilionError(error, "IPFS_NODE_UNAVAILABLE")) {
          throw new VermilionError("IPFS_NODE_UNAVAILABLE", { reason: "the platform's content store did not answer" }, { cause: error });
        }
        throw error;
      }
    },
  };
}
