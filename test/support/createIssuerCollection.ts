import type { Address } from "viem";
import type { CollectionDependencies } from "../../server/collections/createCollection.js";

import { createCollection } from "../../server/collections/createCollection.js";

export interface IssuerCollection {
  address: Address;
  /** The issuer's admin address (DEFAULT_ADMIN_ROLE): its custodial admin key, or its wallet. */
  adminAddress: Address;
  /** The issuer's operating key (ISSUER_ROLE): the collection's mints are sent from it. */
  operatingAddress: Address;
}

/** A collection created the platform's way (`createCollection`), with its two keys as addresses. */
export async function createIssuerCollection(
  deps: CollectionDependencies,
  parameters: { issuerId: string; name: string; symbol: string },
): Promise<IssuerCollection> {
  const view = await createCollection(deps, { ...parameters, contractURI: "" });
  return { address: view.address as Address, adminAddress: view.adminAddress as Address, operatingAddress: view.operatingAddress as Address };
}
