import type { Address } from "viem";
import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";
import type { MintFaultPoint } from "../../server/minting/createMintSender.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, getAddress, http, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { createChainClients } from "../../server/chain/createChainClients.js";
import { startAnvil } from "../../server/chain/startAnvil.js";
import { createWriteLock } from "../../server/cluster/createWriteLock.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { createIssuerKeyring } from "../../server/issuers/accounts/createIssuerKeyring.js";
import { createClusterDatabase } from "../cluster/clusterSupport.js";
import { createIssuerCollection } from "../support/createIssuerCollection.js";
import { createApiClient } from "../support/httpClient.js";
import { waitForJob } from "../support/platformFixture.js";
import { createEditionAsIssuer } from "../support/sendAsIssuerKey.js";
import { spawnServer } from "../support/spawnServer.js";

const ADMIN_API_KEY = "test-admin-key-0123456789abcdef";
const RECIPIENTS = 450;

let anvil: StartAnvilReturnType;
const databases: Array<{ drop: () => Promise<void> }> = [];
const dirs: string[] = [];

beforeAll(async () => {
  // The chain outlives the server, as a real chain does: only our process is killed.
  anvil = await startAnvil();
});

afterAll(async () => {
  await anvil?.stop();
  for (const database of databases) await database.drop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// The server runs on PostgreSQL so that the test can lay out the issuer's collection (admin: its
// custodial key, issuing role: its operating key) beside the running server.
describe.each<MintFaultPoint>(["before-sign", "after-sign", "after-broadcast", "after-receipt"])("kill -9 of an operating key's sender %s", (faultPoint) => {
  test("mid-airdrop: a restart completes the job with exactly one mint per recipient and no nonce gap on the key", async () => {
    const database = await createClusterDatabase();
    databases.push(database);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), `vermilion-crash-operating-${faultPoint}-`));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, PORT: "0", RPC_URL: anvil.rpcUrl, DATABASE_URL: database.url, ADMIN_API_KEY, LOG_LEVEL: "silent" };
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });

    const first = await spawnServer({ ...env, VERMILION_TEST_CRASH_AT: faultPoint }, 90_000, { singleProcess: true });
    const firstCall = createApiClient(first.url);
    const registered = await firstCall<{ issuerId: string; apiKey: string }>("POST", "/api/issuers", { key: ADMIN_API_KEY, body: { name: `Crash ${faultPoint}` } });
    expect(registered.status).toBe(201);
    const factoryAddress = first.output().match(/factory (0x[0-9a-fA-F]{40})/)![1] as Address;
    const db = await openPostgres({ connectionString: database.url, maxConnections: 2 });
    const chain = createChainClients({ rpcUrl: anvil.rpcUrl, chainId: 31337, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
    const issuerKeyring = createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC });
    let collection: Address;
    let operating: Address;
    let editionId: bigint;
    try {
      const made = await createIssuerCollection(
        { db, chain, factoryAddress, writeLock: createWriteLock({ db, chainId: chain.chainId, signer: chain.walletClient.account.address }) },
        { issuerId: registered.body.issuerId, name: `Crash ${faultPoint}`, symbol: "CRS" },
      );
      collection = made.address;
      operating = made.operatingAddress;
      editionId = await createEditionAsIssuer(chain, (await issuerKeyring.accountFor(operating))!, collection, 1_000);
    } finally {
      await db.close();
    }

    const recipients: Address[] = Array.from({ length: RECIPIENTS }, (_, index) => getAddress(`0x${keccak256(toHex(`crash-operating-${faultPoint}-${index}`)).slice(-40)}`));
    const airdrop = { key: registered.body.apiKey, headers: { "idempotency-key": `crash-${faultPoint}` }, body: { recipients } };
    const route = `/api/collections/${collection}/editions/${editionId}/mint`;
    // The process may die before it answers: the idempotency key recovers the job after restart.
    await firstCall("POST", route, airdrop).catch(() => undefined);
    const ended = await first.exited;
    expect(ended.signal === "SIGKILL" || ended.code === 137, `${JSON.stringify(ended)} ${first.output()}`).toBe(true);

    const second = await spawnServer(env, 90_000, { singleProcess: true });
    try {
      const secondCall = createApiClient(second.url);
      const again = await secondCall<{ jobId: string; created: boolean }>("POST", route, airdrop);
      expect(again.status).toBe(202);
      expect(again.body.created).toBe(false);
      const job = await waitForJob<{ state: string; tokenIds: string[]; transactions: string[]; sender: string }>(secondCall, registered.body.apiKey, again.body.jobId, 90_000);
      expect(job).toMatchObject({ state: "completed", sender: operating });
      expect(job.transactions).toHaveLength(3);
      expect(job.tokenIds).toHaveLength(RECIPIENTS);
      const balances = await Promise.all(
        recipients.map((owner) => client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [owner] })),
      );
      expect(balances).toEqual(recipients.map(() => 1n));
      const edition = await client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] });
      expect(edition.mintedCount).toBe(BigInt(RECIPIENTS));
      // Every airdrop transaction came from the operating key, and nothing is stuck behind a skipped nonce.
      for (const hash of job.transactions) expect((await client.getTransaction({ hash: hash as `0x${string}` })).from.toLowerCase()).toBe(operating);
      expect(await client.getTransactionCount({ address: operating, blockTag: "pending" })).toBe(
        await client.getTransactionCount({ address: operating, blockTag: "latest" }),
      );
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
    // Two server starts and a 450-recipient airdrop on a shared machine.
  }, 240_000);
});
