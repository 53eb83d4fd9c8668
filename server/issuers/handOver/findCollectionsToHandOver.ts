import type { Address } from "viem";
import type { Queryable } from "../../db/Database.js";

/** A collection made before issuer accounts: its admin and issuer are still the platform's key. */
export interface CollectionToHandOver {
  collection: Address;
  name: string;
  issuerId: string;
  issuerName: string;
}

/**
 * The chain's collections whose row names no admin or operating key (admin_address / operating_address
 * NULL), oldest first: the ones `handOverCollection` gives to their issuers.
 */
export async function findCollectionsToHandOver(deps: { db: Queryable }, parameters: { chainId: number }): Promise<CollectionToHandOver[]> {
  const { rows } = await deps.db.query<{ address: Address; name: string; issuer_id: string; issuer_name: string }>(
    `SELECT c.address, c.name, c.issuer_id, i.name AS issuer_name
     FROM collections c JOIN issuers i ON i.issuer_id = c.issuer_id
     WHERE c.chain_id = $1 AND c.status = 'deployed' AND (c.admin_address IS NULL OR c.operating_address IS NULL)
     ORDER BY c.created_at, c.address`,
    [BigInt(parameters.chainId)],
  );
  return rows.map((row) => ({ collection: row.address, name: row.name, issuerId: row.issuer_id, issuerName: row.issuer_name }));
}
