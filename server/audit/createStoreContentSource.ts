import type { ContentStore } from "../storage/contentStore.js";
import type { ContentSource } from "../verifier/content/contentSource.js";

/** Blocks straight from the platform's own store; the verifier hashes them like any other source's. */
export function createStoreContentSource(store: Pick<ContentStore, "getBlock">): ContentSource {
  return { description: "store", getBlock: (cid) => store.getBlock(cid) };
}
