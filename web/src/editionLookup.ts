import type { Edition } from "./apiTypes.js";

import { api } from "./api.js";

const byCollection = new Map<string, Promise<Edition[]>>();

/** A collection's editions, fetched once per page load (token lists need their names and stills). */
export function collectionEditions(address: string): Promise<Edition[]> {
  const key = address.toLowerCase();
  let editions = byCollection.get(key);
  if (!editions) {
    editions = api<{ editions: Edition[] }>(`/api/collections/${address}/editions`).then(
      (body) => body.editions,
      () => [],
    );
    byCollection.set(key, editions);
  }
  return editions;
}

/** Editions keyed by "collection:editionId" (lowercase collection) for the collections given. */
export async function editionsFor(collections: string[]): Promise<Map<string, Edition>> {
  const map = new Map<string, Edition>();
  const unique = [...new Set(collections.map((address) => address.toLowerCase()))];
  for (const editions of await Promise.all(unique.map(collectionEditions))) {
    for (const edition of editions) map.set(`${edition.collection.toLowerCase()}:${edition.editionId}`, edition);
  }
  return map;
}
