import { LRUCache } from "lru-cache";

/** Reads a serial's metadata document; null when it is not available. */
export type ReadMetadataDocument = (metadataCid: string, serial: number) => Promise<unknown>;

export interface CacheMetadataDocumentsParameters {
  /** Upper bound on the cached documents' JSON size in UTF-16 code units (default 16 Mi, 32 MiB of strings at most). */
  maxBytes?: number;
}

/**
 * Wraps `read` with a least-recently-used cache (lru-cache, bounded by size) of the documents found, for
 * metadata directories the platform did not write (the ones it wrote are rendered from their recorded
 * template). A document under a CID never changes, so an entry is never stale; absent documents are not
 * cached (their blocks may arrive later). Entries are kept as JSON text, not as objects: the bound then
 * is the memory they take (an object graph costs several times its JSON), and each hit is a fresh copy.
 */
export function cacheMetadataDocuments(read: ReadMetadataDocument, parameters: CacheMetadataDocumentsParameters = {}): ReadMetadataDocument {
  const maxSize = parameters.maxBytes ?? 16 * 1024 * 1024;
  const entries = new LRUCache<string, string>({ maxSize, sizeCalculation: (json) => Math.max(1, json.length) });
  return async (metadataCid, serial) => {
    const key = `${metadataCid}/${serial}`;
    const hit = entries.get(key);
    if (hit !== undefined) return JSON.parse(hit) as unknown;
    const document = await read(metadataCid, serial);
    if (document === null || document === undefined) return document;
    const json = JSON.stringify(document);
    // lru-cache refuses (does not store) an entry larger than maxSize on its own.
    if (json.length <= maxSize) entries.set(key, json);
    return document;
  };
}
