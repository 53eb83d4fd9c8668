import type { IssuedByView } from "../views/issuedByView.js";
import type { ProvenanceDeps } from "./ProvenanceDeps.js";

/**
 * The issuer of one indexed collection, as `issuer_address` and `issuer_name`, with `c` the collection's
 * indexer_collections row; join `collectionIssuerJoins` for the name. The address is an account holding
 * DEFAULT_ADMIN_ROLE, preferring the issuer's registered address, then the admin the factory named at
 * creation; the creation's admin when nobody holds the role any more. Migration 0104 spells the same
 * read inside indexer_token_read.
 */
export const collectionIssuerColumns = `COALESCE(
    (SELECT r.account FROM indexer_roles r
     WHERE r.chain_id = c.chain_id AND r.contract = c.address AND r.role = '0x${"0".repeat(64)}' AND r.granted
     ORDER BY COALESCE(r.account = lower(pi.address), false) DESC, (r.account = c.admin) DESC, r.account LIMIT 1),
    c.admin) AS issuer_address, pi.name AS issuer_name`;

export const collectionIssuerJoins = `LEFT JOIN collections pc ON pc.chain_id = c.chain_id AND pc.address = c.address
  LEFT JOIN issuers pi ON pi.issuer_id = pc.issuer_id`;

export interface CollectionIssuerRow {
  issuer_address: string | null;
  issuer_name: string | null;
}

export function toIssuedBy(row: CollectionIssuerRow | undefined): IssuedByView | null {
  if (!row || row.issuer_address === null) return null;
  return { name: row.issuer_name, address: row.issuer_address };
}

/** The issuer of an indexed collection; null when the index does not know the collection. */
export async function readCollectionIssuer(deps: ProvenanceDeps, parameters: { collection: string }): Promise<IssuedByView | null> {
  const { rows } = await deps.db.query<CollectionIssuerRow>(
    `SELECT ${collectionIssuerColumns} FROM indexer_collections c ${collectionIssuerJoins} WHERE c.chain_id = $1 AND c.address = $2`,
    [deps.chainId, parameters.collection],
  );
  return toIssuedBy(rows[0]);
}
