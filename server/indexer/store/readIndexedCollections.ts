import type { Queryable } from "../../db/Database.js";

export interface ReadIndexedCollectionsParameters {
  chainId: bigint;
  factoryAddress: string;
}

/** The collections the factory created that the index knows of: their logs are read with the factory's. */
export async function readIndexedCollections(db: Queryable, parameters: ReadIndexedCollectionsParameters): Promise<string[]> {
  const { rows } = await db.query<{ address: string }>(
    "SELECT address FROM indexer_collections WHERE chain_id = $1 AND factory_address = $2",
    [parameters.chainId, parameters.factoryAddress],
  );
  return rows.map((row) => row.address);
}
