import type { MediaDigestCache } from "vermilion-verify/createVerificationSession.js";

import { LRUCache } from "lru-cache";

export interface CreateMediaDigestCacheParameters {
  maxEntries: number;
}

/**
 * What hashing each media file found, by its CID, for the platform's verifications: a CID names its
 * bytes forever, so a token page viewed again (at any block) does not re-read and re-hash the media.
 */
export function createMediaDigestCache(parameters: CreateMediaDigestCacheParameters): MediaDigestCache {
  const digests = new LRUCache<string, ReturnType<MediaDigestCache["get"]> & object>({ max: parameters.maxEntries });
  return {
    get: (mediaCid) => digests.get(mediaCid),
    set: (mediaCid, digest) => void digests.set(mediaCid, digest),
  };
}
