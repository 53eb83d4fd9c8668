import type { Address } from "viem";
import type { Database, Queryable } from "../db/Database.js";
import type { IssuerKeyring } from "./accounts/createIssuerKeyring.js";

import { createApiKey } from "../auth/createApiKey.js";
import { toStoredAddress } from "../chain/toStoredAddress.js";
import { VermilionError } from "../errors/VermilionError.js";

export interface CreateIssuerDeps {
  db: Database;
  issuerKeyring: IssuerKeyring;
  /** The platform's own key: never an issuer's address (it holds no role on any collection). */
  platformAddress?: Address;
}

export interface CreateIssuerParameters {
  name: string;
  /**
   * Self-custody: the issuer's own wallet, whose signature of the registration statement the caller
   * has already verified (`verifyIssuerStatement`). Absent: custodial, the platform derives its admin key.
   */
  selfCustodyAddress?: Address;
}

export interface CreateIssuerReturnType {
  issuerId: string;
  name: string;
  keyId: string;
  /** Shown once; only its hash is stored. */
  apiKey: string;
  /** The admin of the issuer's collections: its custodial admin key, or its own wallet. */
  address: Address;
  custody: "custodial" | "self";
  /** The platform-held key that holds only the issuing role on the issuer's collections. */
  operatingAddress: Address;
}

/** Throws ISSUER_ADDRESS_TAKEN when `address` is already an issuer's admin or operating key. */
export async function assertAddressFree(db: Queryable, address: Address, platformAddress?: Address): Promise<void> {
  const wanted = toStoredAddress(address);
  if (platformAddress && toStoredAddress(platformAddress) === wanted) throw new VermilionError("ISSUER_ADDRESS_TAKEN", { address: wanted });
  const { rows } = await db.query("SELECT 1 FROM issuers WHERE address = $1 OR operating_address = $1 LIMIT 1", [wanted]);
  if (rows.length > 0) throw new VermilionError("ISSUER_ADDRESS_TAKEN", { address: wanted });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "23505";
}

/**
 * Registers an issuer with its first API key and its on-chain addresses, in one transaction: its
 * BIP-44 account (key_index, from the sequence) gives its operating key and, for a custodial issuer,
 * its admin key; a self-custody issuer's admin is the wallet that signed its registration.
 */
export async function createIssuer(deps: CreateIssuerDeps, parameters: CreateIssuerParameters): Promise<CreateIssuerReturnType> {
  const { db, issuerKeyring } = deps;
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ issuer_id: string; key_index: number }>(
        "INSERT INTO issuers (name) VALUES ($1) RETURNING issuer_id, key_index",
        [parameters.name],
      );
      const { issuer_id: issuerId, key_index: keyIndex } = rows[0]!;
      const accounts = issuerKeyring.accountsOf(keyIndex);
      const custody = parameters.selfCustodyAddress ? "self" : "custodial";
      const address = toStoredAddress(parameters.selfCustodyAddress ?? accounts.custodialAdmin.address) as Address;
      const operatingAddress = accounts.operating.address;
      // The unique constraints catch a clash with another issuer's admin address or operating key
      // column by column; this catches one across the two columns (and the platform's own key).
      await assertAddressFree(tx, address, deps.platformAddress);
      await assertAddressFree(tx, operatingAddress, deps.platformAddress);
      await tx.query("UPDATE issuers SET address = $2, custody = $3, operating_address = $4 WHERE issuer_id = $1", [
        issuerId,
        address,
        custody,
        operatingAddress,
      ]);
      const { keyId, apiKey } = await createApiKey(tx, { issuerId, label: "initial" });
      return { issuerId, name: parameters.name, keyId, apiKey, address, custody, operatingAddress };
    });
  } catch (error) {
    // Two registrations of one wallet at once: the second loses at the constraint.
    if (isUniqueViolation(error) && parameters.selfCustodyAddress) {
      throw new VermilionError("ISSUER_ADDRESS_TAKEN", { address: toStoredAddress(parameters.selfCustodyAddress) });
    }
    throw error;
  }
}
