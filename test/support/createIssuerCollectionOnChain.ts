import type { Address, Hex } from "viem";
import type { Database, Queryable } from "../../server/db/Database.js";
import type { IssuerAccounts } from "../../server/issuers/accounts/deriveIssuerAccounts.js";
import type { TestPlatform } from "./startTestPlatform.js";

import { randomUUID } from "node:crypto";

import { createPublicClient, createWalletClient, http, keccak256, parseEventLogs, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";

import { vermilionFactoryAbi } from "../../server/chain/abis/VermilionFactory.js";
import { toStoredAddress } from "../../server/chain/toStoredAddress.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { createIssuerKeyring, fillIssuerAddresses } from "../../server/issuers/accounts/createIssuerKeyring.js";
import { startTestPlatform } from "./startTestPlatform.js";

export interface CreateIssuerCollectionOnChainDeps {
  /** The platform's database (a second connection to the server's PostgreSQL database). */
  db: Queryable;
  rpcUrl: string;
  chainId: number;
  factoryAddress: Address;
}

export interface CreateIssuerCollectionOnChainParameters {
  issuerId: string;
  name?: string;
  /** The collection's admin; default the issuer's custodial admin key. A self-custody issuer's wallet otherwise. */
  admin?: Address;
  /** false: the factory names the platform's key as admin and issuer and the row's columns stay NULL (a collection made before issuer accounts). */
  issuerAccounts?: boolean;
}

export interface CreateIssuerCollectionOnChainReturnType {
  collection: Address;
  /** The issuer's keys, derived from the dev mnemonic as the server derives them. */
  accounts: IssuerAccounts;
  admin: Address;
  operating: Address;
  platform: Address;
}

/**
 * Deploys a collection through the factory with the platform's (dev) key, as createCollection will once
 * issuer accounts are its default: admin = the issuer's custodial admin key (or `admin`), issuer = its
 * operating key; and records the collections row with those columns. With `issuerAccounts: false`, the
 * old way instead. Fills in the issuer's addresses first, as the server does at start.
 */
export async function createIssuerCollectionOnChain(
  deps: CreateIssuerCollectionOnChainDeps,
  parameters: CreateIssuerCollectionOnChainParameters,
): Promise<CreateIssuerCollectionOnChainReturnType> {
  const keyring = createIssuerKeyring({ db: deps.db, mnemonic: WELL_KNOWN_DEV_MNEMONIC });
  await fillIssuerAddresses(deps.db, keyring);
  const { rows } = await deps.db.query<{ key_index: number }>("SELECT key_index FROM issuers WHERE issuer_id = $1", [parameters.issuerId]);
  if (!rows[0]) throw new Error(`no issuer ${parameters.issuerId}`);
  const accounts = keyring.accountsOf(rows[0].key_index);

  const platformAccount = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[0]!);
  const platform = toStoredAddress(platformAccount.address);
  const legacy = parameters.issuerAccounts === false;
  const admin = legacy ? platform : toStoredAddress(parameters.admin ?? accounts.custodialAdmin.address);
  const operating = legacy ? platform : accounts.operating.address;
  const chain = { ...foundry, id: deps.chainId, rpcUrls: { default: { http: [deps.rpcUrl] } } };
  const wallet = createWalletClient({ account: platformAccount, chain, transport: http(deps.rpcUrl) });
  const client = createPublicClient({ chain, transport: http(deps.rpcUrl), pollingInterval: 50 });

  const collectionId = randomUUID();
  const name = parameters.name ?? `Collection ${collectionId.slice(0, 8)}`;
  const salt = keccak256(toHex(`vermilion-collection:${collectionId}`));
  const hash = await wallet.writeContract({
    address: deps.factoryAddress,
    abi: vermilionFactoryAbi,
    functionName: "createCollection",
    args: [{ name, symbol: "VRM", admin, issuer: operating, contractURI: "" }, salt],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: vermilionFactoryAbi, eventName: "CollectionCreated", logs: receipt.logs });
  if (receipt.status !== "success" || !created) throw new Error(`factory transaction ${hash} created no collection`);
  const collection = toStoredAddress(created.args.collection);
  await deps.db.query(
    `INSERT INTO collections (collection_id, chain_id, issuer_id, address, salt, name, symbol, contract_uri, status, tx_hash, block_number,
       admin_address, operating_address)
     VALUES ($1, $2, $3, $4, $5, $6, 'VRM', '', 'deployed', $7, $8, $9, $10)`,
    [collectionId, BigInt(deps.chainId), parameters.issuerId, collection, salt, name, hash as Hex, receipt.blockNumber, legacy ? null : admin, legacy ? null : operating],
  );
  return { collection, accounts, admin, operating, platform };
}

const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface PlatformWithSharedDatabase {
  platform: TestPlatform;
  /** A second connection to the server's database, for the rows a test makes itself. */
  db: Database;
  databaseUrl: string;
  /** Stops the server, closes the connection and drops the database. */
  stop(): Promise<void>;
}

/**
 * The platform on a fresh PostgreSQL database of its own that the test also opens: the collections this
 * helper makes need a row in the server's database (the embedded PGlite has one owner, the server).
 */
export async function startPlatformWithSharedDatabase(label: string, env: Record<string, string> = {}): Promise<PlatformWithSharedDatabase> {
  const name = `vermilion_${randomUUID().replaceAll("-", "")}`;
  const admin = await openPostgres({ connectionString: POSTGRES_ADMIN_URL });
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const drop = async () => {
    const dropper = await openPostgres({ connectionString: POSTGRES_ADMIN_URL });
    await dropper.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.close();
  };
  let platform: TestPlatform;
  try {
    platform = await startTestPlatform(label, { ...env, DATABASE_URL: databaseUrl });
  } catch (error) {
    await drop();
    throw error;
  }
  const db = await openPostgres({ connectionString: databaseUrl });
  return {
    platform,
    db,
    databaseUrl,
    async stop() {
      await db.close();
      await platform.stop();
      await drop();
    },
  };
}
