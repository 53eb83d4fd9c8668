import type { Address, LocalAccount } from "viem";
import type { Database } from "../../db/Database.js";
import type { IssuerAccounts } from "./deriveIssuerAccounts.js";

import { mnemonicToSeedSync } from "@scure/bip39";
import { HDKey } from "viem/accounts";

import { toStoredAddress } from "../../chain/toStoredAddress.js";
import { deriveIssuerAccounts } from "./deriveIssuerAccounts.js";

/** The platform-held keys of every issuer, derived on demand from one mnemonic. */
export interface IssuerKeyring {
  /** The keys at an issuer's key index (derived once, then remembered). */
  accountsOf(keyIndex: number): IssuerAccounts;
  /**
   * The platform-held account with this address: an issuer's operating key, or the admin key of an
   * issuer still in custodial custody. Undefined for any other address (a self-custody wallet, a stranger).
   */
  accountFor(address: Address): Promise<LocalAccount | undefined>;
}

export interface CreateIssuerKeyringParameters {
  db: Pick<Database, "query">;
  /** BIP-39 mnemonic (config ISSUER_KEYS_MNEMONIC, resolved by `resolveIssuerKeysMnemonic`). */
  mnemonic: string;
}

/** The seed is stretched once (BIP-39's 2048 PBKDF2 rounds), not per derivation. */
export function createIssuerKeyring(parameters: CreateIssuerKeyringParameters): IssuerKeyring {
  const root = HDKey.fromMasterSeed(mnemonicToSeedSync(parameters.mnemonic));
  const derived = new Map<number, IssuerAccounts>();
  const accountsOf = (keyIndex: number): IssuerAccounts => {
    let accounts = derived.get(keyIndex);
    if (!accounts) {
      accounts = deriveIssuerAccounts(root, keyIndex);
      derived.set(keyIndex, accounts);
    }
    return accounts;
  };
  return {
    accountsOf,
    async accountFor(address) {
      const wanted = toStoredAddress(address);
      const { rows } = await parameters.db.query<{ key_index: number }>(
        `SELECT key_index FROM issuers WHERE operating_address = $1 OR (custody = 'custodial' AND address = $1) LIMIT 1`,
        [wanted],
      );
      if (!rows[0]) return undefined;
      const accounts = accountsOf(rows[0].key_index);
      if (accounts.operating.address === wanted) return accounts.operating;
      if (accounts.custodialAdmin.address === wanted) return accounts.custodialAdmin;
      return undefined;
    },
  };
}

/**
 * Fills in the addresses of issuers registered before issuer accounts existed (migration 0014 gave
 * them a key index; the addresses need the mnemonic, which the database never sees). Idempotent.
 */
export async function fillIssuerAddresses(db: Pick<Database, "query">, keyring: IssuerKeyring): Promise<number> {
  const { rows } = await db.query<{ issuer_id: string; key_index: number; custody: string; address: string | null }>(
    "SELECT issuer_id, key_index, custody, address FROM issuers WHERE address IS NULL OR operating_address IS NULL",
  );
  for (const row of rows) {
    const accounts = keyring.accountsOf(row.key_index);
    await db.query(
      "UPDATE issuers SET address = coalesce(address, $2), operating_address = coalesce(operating_address, $3) WHERE issuer_id = $1",
      [row.issuer_id, accounts.custodialAdmin.address, accounts.operating.address],
    );
  }
  return rows.length;
}
