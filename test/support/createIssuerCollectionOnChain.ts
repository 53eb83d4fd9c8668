import type { Address } from "viem";
import type { ChainClients } from "../../server/chain/createChainClients.js";
import type { WriteLock } from "../../server/cluster/createWriteLock.js";
import type { Database } from "../../server/db/Database.js";
import type { IssuerKeyring } from "../../server/issuers/accounts/createIssuerKeyring.js";

import { randomUUID } from "node:crypto";

import { keccak256, parseEventLogs, toHex } from "viem";

import { vermilionFactoryAbi } from "../../server/chain/abis/VermilionFactory.js";
import { toStoredAddress } from "../../server/chain/toStoredAddress.js";

export interface IssuerCollectionOnChain {
  address: Address;
  /** The issuer's custodial admin key (DEFAULT_ADMIN_ROLE). */
  adminAddress: Address;
  /** The issuer's operating key (ISSUER_ROLE): the collection's mints are sent from it. */
  operatingAddress: Address;
}

/**
 * A collection laid out as issuer accounts lay it out: admin = the issuer's custodial admin key,
 * issuer = its operating key, deployed through the factory by the platform's key (the deployer), and
 * recorded with admin_address / operating_address. Fills in the issuer's addresses first if missing.
 */
export async function createIssuerCollectionOnChain(
  deps: { db: Database; chain: ChainClients; factoryAddress: Address; writeLock: WriteLock; issuerKeyring: IssuerKeyring },
  parameters: { issuerId: string; name: string; symbol: string },
): Promise<IssuerCollectionOnChain> {
  const { db, chain } = deps;
  const { rows } = await db.query<{ key_index: number }>("SELECT key_index FROM issuers WHERE issuer_id = $1", [parameters.issuerId]);
  const accounts = deps.issuerKeyring.accountsOf(rows[0]!.key_index);
  const adminAddress = accounts.custodialAdmin.address;
  const operatingAddress = accounts.operating.address;
  await db.query("UPDATE issuers SET address = coalesce(address, $2), operating_address = coalesce(operating_address, $3) WHERE issuer_id = $1", [
    parameters.issuerId,
    adminAddress,
    operatingAddress,
  ]);
  const collectionId = randomUUID();
  const salt = keccak256(toHex(`vermilion-collection:${collectionId}`));
  const receipt = await deps.writeLock(async () => {
    const hash = await chain.walletClient.writeContract({
      address: deps.factoryAddress,
      abi: vermilionFactoryAbi,
      functionName: "createCollection",
      args: [{ name: parameters.name, symbol: parameters.symbol, admin: adminAddress, issuer: operatingAddress, contractURI: "" }, salt],
    });
    return chain.publicClient.waitForTransactionReceipt({ hash });
  });
  const [created] = parseEventLogs({ abi: vermilionFactoryAbi, eventName: "CollectionCreated", logs: receipt.logs });
  if (receipt.status !== "success" || !created) throw new Error(`factory transaction ${receipt.transactionHash} created no collection`);
  const address = toStoredAddress(created.args.collection);
  await db.query(
    `INSERT INTO collections (collection_id, chain_id, issuer_id, address, salt, name, symbol, contract_uri, status, tx_hash, block_number, admin_address, operating_address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, '', 'deployed', $8, $9, $10, $11)`,
    [collectionId, BigInt(chain.chainId), parameters.issuerId, address, salt, parameters.name, parameters.symbol, receipt.transactionHash, receipt.blockNumber, adminAddress, operatingAddress],
  );
  return { address, adminAddress, operatingAddress };
}
