import type { Address } from "viem";
import type { ChainClients } from "../../server/chain/createChainClients.js";
import type { Database } from "../../server/db/Database.js";
import type { IssuerKeyring } from "../../server/issuers/accounts/createIssuerKeyring.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import { getAddress, keccak256, toHex } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { createChainClients } from "../../server/chain/createChainClients.js";
import { createWriteLock } from "../../server/cluster/createWriteLock.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { createIssuerKeyring } from "../../server/issuers/accounts/createIssuerKeyring.js";
import { createClusterDatabase } from "../cluster/clusterSupport.js";
import { createIssuerCollection } from "../support/createIssuerCollection.js";
import { errorCode } from "../support/httpClient.js";
import { waitForJob } from "../support/platformFixture.js";
import { ISSUER_ROLE, createEditionAsIssuer, sendAsIssuerKey } from "../support/sendAsIssuerKey.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

const ADMIN_API_KEY = "test-admin-key-0123456789abcdef";

let database: { url: string; drop: () => Promise<void> };
let platform: TestPlatform;
let db: Database;
let chain: ChainClients;
let keyring: IssuerKeyring;

beforeAll(async () => {
  // On PostgreSQL, so that the test can lay out an issuer's collection beside the running server.
  database = await createClusterDatabase();
  platform = await startTestPlatform("mint-operating-key", { DATABASE_URL: database.url, ADMIN_API_KEY });
  db = await openPostgres({ connectionString: database.url, maxConnections: 2 });
  chain = createChainClients({ rpcUrl: platform.server.rpcUrl, chainId: platform.server.chainId, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
  keyring = createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC });
});

afterAll(async () => {
  await db?.close();
  await platform?.stop();
  await database?.drop();
});

function metricSample(metrics: string, series: string): number | undefined {
  const line = metrics.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test("over HTTP: a mint on an issuer's collection is sent by its operating key under that key's lease; once the key is revoked, the next mint is refused with 409 ISSUER_KEY_REVOKED", async () => {
  const { call } = platform;
  const registered = await call<{ issuerId: string; apiKey: string }>("POST", "/api/issuers", { key: ADMIN_API_KEY, body: { name: "Suzhou Museum" } });
  expect(registered.status).toBe(201);
  const collection = await createIssuerCollection(
    { db, chain, factoryAddress: platform.server.factoryAddress as Address, writeLock: createWriteLock({ db, chainId: chain.chainId, signer: chain.walletClient.account.address }) },
    { issuerId: registered.body.issuerId, name: "Suzhou", symbol: "SZM" },
  );
  const operating = (await keyring.accountFor(collection.operatingAddress))!;
  const admin = (await keyring.accountFor(collection.adminAddress))!;
  const editionId = await createEditionAsIssuer(chain, operating, collection.address, 10);
  const route = `/api/collections/${collection.address}/editions/${editionId}/mint`;
  const to = getAddress(`0x${keccak256(toHex("operating-key-http")).slice(-40)}`);

  const accepted = await call<{ jobId: string }>("POST", route, { key: registered.body.apiKey, headers: { "idempotency-key": "first" }, body: { to, quantity: 2 } });
  expect(accepted.status).toBe(202);
  const job = await waitForJob<{ state: string; sender: string; waiting: unknown; transactions: string[] }>(call, registered.body.apiKey, accepted.body.jobId);
  expect(job).toMatchObject({ state: "completed", sender: collection.operatingAddress, waiting: null });
  const minted = await chain.publicClient.getTransaction({ hash: job.transactions[0] as `0x${string}` });
  expect(minted.from.toLowerCase()).toBe(collection.operatingAddress);

  // One instance on one database holds both sender leases: the platform key's and the operating key's.
  const ready = await call<{ roles: { mintSender: boolean } }>("GET", "/api/health/ready");
  expect(ready.body.roles.mintSender).toBe(true);
  const metrics = await (await fetch(`${platform.server.url}/metrics`)).text();
  expect(metricSample(metrics, "vermilion_mint_sender_leases_held")).toBe(2);
  expect(metricSample(metrics, "vermilion_mint_senders_open")).toBe(0);

  await sendAsIssuerKey(chain, admin, { collection: collection.address, functionName: "revokeRole", args: [ISSUER_ROLE, collection.operatingAddress] });
  const refused = await call("POST", route, { key: registered.body.apiKey, headers: { "idempotency-key": "second" }, body: { to, quantity: 1 } });
  expect(refused.status).toBe(409);
  expect(errorCode(refused)).toBe("ISSUER_KEY_REVOKED");
  // The job accepted before the revocation is still answered for its key.
  const replay = await call<{ jobId: string; created: boolean }>("POST", route, { key: registered.body.apiKey, headers: { "idempotency-key": "first" }, body: { to, quantity: 2 } });
  expect(replay).toMatchObject({ status: 202, body: { jobId: accepted.body.jobId, created: false } });
});
