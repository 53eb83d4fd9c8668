import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { vermilionFactoryAbi } from "../../chain/abis/VermilionFactory.js";

/**
 * Every event the factory and its collections can emit, once: the factory's `CollectionCreated` plus
 * the collection's events (its AccessControl events are the factory's too).
 */
export const indexerEventAbi = [
  ...vermilionCollectionAbi.filter((item) => item.type === "event"),
  ...vermilionFactoryAbi.filter((item) => item.type === "event" && item.name === "CollectionCreated"),
] as const;
