import type { Account, Address, Chain, LocalAccount, Transport, WalletClient } from "viem";
import type { ChainClients } from "../../chain/createChainClients.js";
import type { WriteLock, WriteLocks } from "../../cluster/createWriteLock.js";
import type { Queryable } from "../../db/Database.js";
import type { IssuerKeyring } from "./createIssuerKeyring.js";

import { toStoredAddress } from "../../chain/toStoredAddress.js";
import { VermilionError } from "../../errors/VermilionError.js";

export interface FindCollectionSignerDeps {
  db: Queryable;
  chain: ChainClients;
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
}

export interface FindCollectionSignerParameters {
  collection: Address;
  /**
   * issuing: the key holding the collection's issuing role (editions, mints, vouchers, freeze, close).
   * admin: the key holding its admin role (pause, roles), which the platform holds only for a custodial issuer.
   */
  role: "issuing" | "admin";
  /** For ADMIN_IN_ISSUER_WALLET: what the caller wanted to send (e.g. "pause()"). */
  action?: string;
}

/** Who sends a collection's transactions, with the client and the write lock to send them with. */
export interface CollectionSigner {
  issuerId: string;
  account: LocalAccount;
  wallet: WalletClient<Transport, Chain, Account>;
  writeLock: WriteLock;
  /** The platform's own key: a collection created before issuer accounts and not yet handed over. */
  isPlatformKey: boolean;
}

/**
 * The platform-held key that sends a collection's transactions of one kind: its operating key for
 * issuing, its custodial admin key for admin actions; the platform's own key for a collection made
 * before issuer accounts (its admin_address / operating_address are NULL). Throws NOT_FOUND for a
 * collection the platform did not create, ADMIN_IN_ISSUER_WALLET when the admin is the issuer's own wallet.
 */
export async function findCollectionSigner(
  deps: FindCollectionSignerDeps,
  parameters: FindCollectionSignerParameters,
): Promise<CollectionSigner> {
  const { chain, issuerKeyring, writeLocks } = deps;
  const collection = toStoredAddress(parameters.collection);
  const { rows } = await deps.db.query<{ issuer_id: string; admin_address: Address | null; operating_address: Address | null }>(
    "SELECT issuer_id, admin_address, operating_address FROM collections WHERE chain_id = $1 AND address = $2",
    [BigInt(chain.chainId), collection],
  );
  const row = rows[0];
  if (!row) throw new VermilionError("NOT_FOUND", { resource: `collection ${collection}` });
  const platform = (): CollectionSigner => ({
    issuerId: row.issuer_id,
    account: chain.walletClient.account as LocalAccount,
    wallet: chain.walletClient,
    writeLock: writeLocks(chain.walletClient.account.address),
    isPlatformKey: true,
  });
  const held = async (address: Address | null): Promise<LocalAccount | undefined> =>
    address ? issuerKeyring.accountFor(address) : undefined;
  if (parameters.role === "issuing") {
    if (row.operating_address === null) return platform();
    const account = await held(row.operating_address);
    if (!account) throw new Error(`operating key ${row.operating_address} of ${collection} is not derivable from ISSUER_KEYS_MNEMONIC`);
    return { issuerId: row.issuer_id, account, wallet: chain.walletFor(account), writeLock: writeLocks(account.address), isPlatformKey: false };
  }
  if (row.admin_address === null) return platform();
  const account = await held(row.admin_address);
  if (!account) {
    throw new VermilionError("ADMIN_IN_ISSUER_WALLET", { collection, admin: row.admin_address, action: parameters.action ?? "the transaction" });
  }
  return { issuerId: row.issuer_id, account, wallet: chain.walletFor(account), writeLock: writeLocks(account.address), isPlatformKey: false };
}
