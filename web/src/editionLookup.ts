import type { Edition } from "./apiTypes.js";

import { api } from "./api.js";

const byCollection = new Map<string, Promise<Edition[]>>();

/**
 * A collection's editions, fetched once per page load (token lists need their names and stills). `address`
 * as the API gives it (lowercase).
 */
export function collectionEditions(address: string): Promise<Edition[]> {
  let editions = byCollection.get(address);
  if (!editions) {
    editions = api<{ editions: Edition[] }>(`/api/collections/${address}/editions`).then(
      (body) => body.editions,
      () => [],
    );
    byCollection.set(address, editions);
  }
  return editions;
}

/** Editions keyed by "collection:editionId" for the collections given (addresses as the API gives them). */
export async function editionsFor(collections: string[]): Promise<Map<string, Edition>> {
  const map = new Map<string, Edition>();
  const unique = [...new Set(collections)];
  for (const editions of await Promise.all(unique.map(collectionEditions))) {
    for (const edition of editions) map.set(`${edition.collection}:${edition.editionId}`, edition);
  }
  return map;
}
