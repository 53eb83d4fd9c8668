import type { ContentStore } from "../storage/contentStore.js";

import { CID } from "multiformats/cid";

const MAX_METADATA_DOCUMENT_BYTES = 1_048_576;

/** A JSON document at `path` under `rootCid` in the store, or null if it is absent, too large or not JSON. */
export async function readJsonDocument(store: ContentStore, rootCid: string, documentPath: string): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of store.cat({ cid: CID.parse(rootCid), path: documentPath })) {
    size += chunk.byteLength;
    if (size > MAX_METADATA_DOCUMENT_BYTES) return null;
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
}
