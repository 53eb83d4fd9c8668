/** Reads a serial's metadata document; null when it is not available. */
export type ReadMetadataDocument = (metadataCid: string, serial: number) => Promise<unknown>;

export interface CacheMetadataDocumentsParameters {
  /** Upper bound on the cached documents' JSON size (default 32 MiB). */
  maxBytes?: number;
}

/**
 * Wraps `read` with a least-recently-used cache of the documents found. A document under a CID never
 * changes, so an entry is never stale; absent documents are not cached (their blocks may arrive later).
 * Reading one through the IPFS exporter walks the edition directory's HAMT shards each time, which
 * dominates the token route, while popular tokens are asked for again and again.
 */
export function cacheMetadataDocuments(read: ReadMetadataDocument, parameters: CacheMetadataDocumentsParameters = {}): ReadMetadataDocument {
  const maxBytes = parameters.maxBytes ?? 32 * 1024 * 1024;
  const entries = new Map<string, { document: unknown; bytes: number }>();
  let cachedBytes = 0;
  return async (metadataCid, serial) => {
    const key = `${metadataCid}/${serial}`;
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit);
      return structuredClone(hit.document);
    }
    const document = await read(metadataCid, serial);
    if (document === null || document === undefined) return document;
    const bytes = JSON.stringify(document).length;
    if (bytes > maxBytes) return document;
    entries.set(key, { document: structuredClone(document), bytes });
    cachedBytes += bytes;
    for (const [oldest, entry] of entries) {
      if (cachedBytes <= maxBytes) break;
      entries.delete(oldest);
      cachedBytes -= entry.bytes;
    }
    return document;
  };
}
