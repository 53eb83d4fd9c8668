import type { Address } from "viem";
import type { Principal } from "../auth/authenticate.js";
import type { Queryable } from "../db/Database.js";

import { VermilionError } from "../errors/VermilionError.js";

/**
 * The deployed collection at `address` on `chainId`, checked to belong to the principal's issuer
 * (admins act on any): NOT_FOUND if there is none, FORBIDDEN if it is another issuer's.
 */
export async function findIssuerCollection(
  db: Queryable,
  chainId: number,
  address: Address,
  principal: Principal,
): Promise<{ issuerId: string }> {
  const { rows } = await db.query<{ issuer_id: string }>(
    "SELECT issuer_id FROM collections WHERE chain_id = $1 AND address = $2 AND status = 'deployed'",
    [BigInt(chainId), address],
  );
  const collection = rows[0];
  if (!collection) throw new VermilionError("NOT_FOUND", { resource: `collection ${address}` });
  if (principal.kind === "issuer" && principal.issuerId !== collection.issuer_id) {
    throw new VermilionError("FORBIDDEN", { resource: `collection ${address}` });
  }
  return { issuerId: collection.issuer_id };
}
