import type { Address } from "viem";
import type { ChainClients } from "../../server/chain/createChainClients.js";
import type { StartAnvilReturnType } from "../support/startAnvil.js";
import type { ClusterInstance } from "./clusterSupport.js";


import pg from "pg";
import { createPublicClient, http, toFunctionSelector } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { createChainClients } from "../../server/chain/createChainClients.js";
import { createWriteLock } from "../../server/cluster/createWriteLock.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { createIssuerKeyring } from "../../server/issuers/accounts/createIssuerKeyring.js";
import { mintSenderLeaseName } from "../../server/minting/senderPool/createMintSenderPool.js";
import { createIssuerCollection } from "../support/createIssuerCollection.js";
import { waitForJob } from "../support/platformFixture.js";
import { rpc } from "../support/rpc.js";
import { createEditionAsIssuer } from "../support/sendAsIssuerKey.js";
import { startAnvil } from "../support/startAnvil.js";
import {
  ADMIN_API_KEY,
  createClusterDatabase,
  leaseHolder,
  readiness,
  recipientAddresses,
  signerTransactions,
  startInstance,
  stopCluster,
  waitUntil,
} from "./clusterSupport.js";

/** How soon another instance must take over the sender after its instance dies (docs/cluster.md). */
const TAKEOVER_BOUND_MS = 15_000;
const AIRDROP_SELECTOR = toFunctionSelector("airdrop(uint256,address[])");

interface Job {
  state: string;
  tokenIds: string[];
  transactions: string[];
}

const signer = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[0]!).address;
let anvil: StartAnvilReturnType;
let database: { url: string; drop: () => Promise<void> };
const dirs: string[] = [];
const instances: ClusterInstance[] = [];
/** The issuer, whose collection's mints are sent by its own operating key (`sender`). */
let issuer: { issuerId: string; apiKey: string; collection: Address; sender: Address };
let client: ReturnType<typeof createPublicClient>;

/**
 * Registers an issuer through the API and makes its collection as issuer accounts lay it out (admin: its
 * custodial key; issuing role: its operating key) with an edition of `maxSupply` made by that key.
 */
async function createOperatingKeyIssuer(instance: ClusterInstance, factoryAddress: Address, maxSupply: number) {
  const registered = await instance.call<{ issuerId: string; apiKey: string }>("POST", "/api/issuers", { key: ADMIN_API_KEY, body: { name: "Dunhuang Academy" } });
  expect(registered.status).toBe(201);
  const db = await openPostgres({ connectionString: database.url, maxConnections: 2 });
  try {
    const chain: ChainClients = createChainClients({ rpcUrl: anvil.rpcUrl, chainId: 31337, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
    const issuerKeyring = createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC });
    // The platform key's advisory lock, as the instances take it: the factory call gets a nonce of its own.
    const writeLock = createWriteLock({ db, chainId: chain.chainId, signer: signer.toLowerCase() as Address });
    const collection = await createIssuerCollection(
      { db, chain, factoryAddress, writeLock },
      { issuerId: registered.body.issuerId, name: "Dunhuang Academy Collection", symbol: "VRM" },
    );
    const operating = (await issuerKeyring.accountFor(collection.operatingAddress))!;
    const editionId = await createEditionAsIssuer(chain, operating, collection.address, maxSupply);
    return { issuer: { ...registered.body, collection: collection.address, sender: collection.operatingAddress }, editionId };
  } finally {
    await db.close();
  }
}

async function start(name: string): Promise<ClusterInstance> {
  const instance = await startInstance(name, { databaseUrl: database.url, rpcUrl: anvil.rpcUrl }, dirs);
  instances.push(instance);
  return instance;
}

/** Blocks every second instead of at once, so a job's transactions are in flight long enough to interrupt. */
async function mineEverySecond(): Promise<void> {
  await rpc(anvil.rpcUrl, "evm_setAutomine", [false]);
  await rpc(anvil.rpcUrl, "evm_setIntervalMining", [1]);
}

async function mineAtOnce(): Promise<void> {
  await rpc(anvil.rpcUrl, "evm_setIntervalMining", [0]);
  await rpc(anvil.rpcUrl, "evm_setAutomine", [true]);
}

async function balanceOf(owner: Address): Promise<bigint> {
  return client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [owner] });
}

async function mintedCount(editionId: bigint): Promise<bigint> {
  const edition = await client.readContract({
    address: issuer.collection,
    abi: vermilionCollectionAbi,
    functionName: "edition",
    args: [editionId],
  });
  return edition.mintedCount;
}

/** Every recipient's balance, 50 reads at a time. */
async function balancesOf(owners: Address[]): Promise<bigint[]> {
  const balances: bigint[] = [];
  for (let offset = 0; offset < owners.length; offset += 50) {
    balances.push(...(await Promise.all(owners.slice(offset, offset + 50).map(balanceOf))));
  }
  return balances;
}

/** A key's nonces on chain since `fromBlock` are distinct and consecutive, and none is pending. */
async function expectNoNonceReused(fromBlock: bigint, key: Address): Promise<Awaited<ReturnType<typeof signerTransactions>>> {
  const sent = await signerTransactions(anvil.rpcUrl, key, fromBlock);
  const nonces = sent.map((transaction) => transaction.nonce).sort((a, b) => a - b);
  expect(new Set(nonces).size).toBe(nonces.length);
  if (nonces.length > 0) expect(nonces[nonces.length - 1]! - nonces[0]! + 1).toBe(nonces.length);
  expect(await client.getTransactionCount({ address: key, blockTag: "pending" })).toBe(
    await client.getTransactionCount({ address: key, blockTag: "latest" }),
  );
  // The senders' own records: no nonce of a key was ever signed for two different chunks (a replacement
  // of one chunk's transaction reuses its nonce by design).
  const records = new pg.Client({ connectionString: database.url });
  await records.connect();
  try {
    const { rows } = await records.query(
      "SELECT sender, nonce FROM chain_transactions GROUP BY sender, nonce HAVING count(DISTINCT (job_id, chunk_index)) > 1",
    );
    expect(rows).toEqual([]);
  } finally {
    await records.end();
  }
  return sent;
}

beforeAll(async () => {
  anvil = await startAnvil();
  client = createPublicClient({ transport: http(anvil.rpcUrl) });
  database = await createClusterDatabase();
});

afterAll(async () => {
  await stopCluster({ instances, anvil, database, dirs });
});

describe("a cluster of instances on one PostgreSQL and one chain", () => {
  let a: ClusterInstance;
  let b: ClusterInstance;
  let survivors: ClusterInstance[];
  let airdropRecipients: Address[];
  let airdropJob: Job;
  let editionId: bigint;

  test("kill -9 of an issuer key's mint sender mid-airdrop: another instance takes over its lease, every recipient holds one token, no nonce is used twice", async () => {
    // Both start at once on the empty database: they migrate it, deploy one factory and elect one
    // sender of the platform's key between them.
    const started = await Promise.all([start("one"), start("two")]);
    const roles = await Promise.all(started.map(async (instance) => (await readiness(instance)).roles.mintSender));
    expect(roles.filter(Boolean)).toHaveLength(1);
    const standby = roles[0] ? started[1]! : started[0]!;
    expect(await readiness(standby)).toMatchObject({ status: "ready", roles: { mintSender: false } });
    const factoryOf = (instance: ClusterInstance) => instance.server.output().match(/factory (0x[0-9a-fA-F]{40})/)?.[1];
    expect(factoryOf(started[0]!)).toMatch(/^0x/);
    expect(factoryOf(started[1]!)).toBe(factoryOf(started[0]!));

    // Any instance serves any request: the issuer is registered through one, the airdrop submitted to the other.
    const made = await createOperatingKeyIssuer(standby, factoryOf(started[0]!) as Address, 1_000);
    issuer = made.issuer;
    editionId = made.editionId;
    const fromBlock = (await client.getBlockNumber()) + 1n;
    airdropRecipients = recipientAddresses("cluster-airdrop", 500);
    await mineEverySecond();
    const submitted = await started[0]!.call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "cluster-airdrop-500" },
      body: { recipients: airdropRecipients },
    });
    expect(submitted.status).toBe(202);

    // The operating key's sender runs on whichever instance won that key's lease: call it A, the other B.
    const keyLease = mintSenderLeaseName(31337, issuer.sender);
    let holder: string | undefined;
    await waitUntil("an instance holds the operating key's sender lease", async () => (holder = await leaseHolder(database.url, keyLease)) !== undefined, 10_000);
    [a, b] = holder === started[0]!.instanceId ? [started[0]!, started[1]!] : [started[1]!, started[0]!];
    expect(holder).toBe(a.instanceId);

    // Kill A once the first of the job's three transactions is mined and before the last is.
    await waitUntil(
      "first airdrop chunk mined",
      async () => (await b.call<Job>("GET", `/api/jobs/${submitted.body.jobId}`, { key: issuer.apiKey })).body.transactions.length >= 1,
      30_000,
    );
    a.server.child.kill("SIGKILL");
    expect((await a.server.exited).signal).toBe("SIGKILL");
    const atKill = await b.call<Job>("GET", `/api/jobs/${submitted.body.jobId}`, { key: issuer.apiKey });
    expect(atKill.body.state).not.toBe("completed");

    await waitUntil("B holds the operating key's sender lease", async () => (await leaseHolder(database.url, keyLease)) === b.instanceId, TAKEOVER_BOUND_MS);
    expect((await readiness(b)).roles.mintSender).toBe(true);
    // B, the only instance left, is (or becomes) the indexer writer too.
    await waitUntil("B holds the indexer writer lease", async () => (await readiness(b)).roles.indexerWriter, TAKEOVER_BOUND_MS);
    airdropJob = await waitForJob<Job>(b.call, issuer.apiKey, submitted.body.jobId, 60_000);
    expect(airdropJob.state).toBe("completed");
    expect(airdropJob.tokenIds).toHaveLength(500);
    expect(airdropJob.transactions).toHaveLength(3);
    await mineAtOnce();

    expect(await balancesOf(airdropRecipients)).toEqual(airdropRecipients.map(() => 1n));
    expect(await mintedCount(editionId)).toBe(500n);
    // The platform's key paid the operating key's gas (its top-ups) and sent nothing else of the job.
    await expectNoNonceReused(fromBlock, signer);
    const sent = await expectNoNonceReused(fromBlock, issuer.sender);
    // One airdrop transaction per chunk reached the chain: nothing was signed twice under two nonces.
    const airdrops = sent.filter((transaction) => transaction.to?.toLowerCase() === issuer.collection.toLowerCase() && transaction.input.startsWith(AIRDROP_SELECTOR));
    expect(airdrops.map((transaction) => transaction.hash).sort()).toEqual([...airdropJob.transactions].sort());
  });

  test("reads spread across instances return the same provenance", async () => {
    const c = await start("c");
    survivors = [b, c];
    // Whichever instance is the indexer writer now (B, if A was), wait until the airdrop is indexed.
    const lastToken = airdropJob.tokenIds[airdropJob.tokenIds.length - 1]!;
    await waitUntil(
      "airdrop indexed",
      async () => (await b.call("GET", `/api/tokens/${issuer.collection}/${lastToken}/provenance`)).status === 200,
      30_000,
    );
    const routes = [
      `/api/tokens/${issuer.collection}/${airdropJob.tokenIds[0]}/provenance`,
      `/api/tokens/${issuer.collection}/${lastToken}`,
      `/api/owners/${airdropRecipients[250]}/tokens`,
      `/api/collections/${issuer.collection}/editions/${editionId}/tokens`,
    ];
    for (const route of routes) {
      const [fromB, fromC] = await Promise.all(survivors.map((instance) => instance.call(`GET`, route)));
      expect(fromB!.status, route).toBe(200);
      expect(fromC!.body, route).toEqual(fromB!.body);
    }
    // The request id a client sends comes back, on every instance.
    const traced = await c.call("GET", routes[0]!, { headers: { "x-request-id": "trace-cluster-1" } });
    expect(traced.headers.get("x-request-id")).toBe("trace-cluster-1");
  });

  test("a rolling restart of every instance loses no job", async () => {
    const fromBlock = (await client.getBlockNumber()) + 1n;
    const jobs: Array<{ jobId: string; to: Address; quantity: number }> = [];
    const submit = async (instance: ClusterInstance, index: number) => {
      const to = recipientAddresses("rolling", 20)[index]!;
      const quantity = 1 + (index % 3);
      const response = await instance.call<{ jobId: string }>(
        "POST",
        `/api/collections/${issuer.collection}/editions/${editionId}/mint`,
        { key: issuer.apiKey, headers: { "idempotency-key": `rolling-${index}` }, body: { to, quantity } },
      );
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      jobs.push({ jobId: response.body.jobId, to, quantity });
    };
    await mineEverySecond();
    for (let index = 0; index < 6; index += 1) await submit(survivors[index % 2]!, index);

    // Restart each instance in turn while jobs are in flight; each stops gracefully (exit 0), handing
    // its roles over, and jobs keep arriving at the instance that stays up.
    let next = 6;
    for (const [position, instance] of [...survivors].entries()) {
      const other = survivors[1 - position]!;
      instance.server.child.kill("SIGTERM");
      expect(await instance.server.exited).toEqual({ code: 0, signal: null });
      await submit(other, next++);
      await waitUntil("the remaining instance holds the mint sender lease", async () => (await readiness(other)).roles.mintSender, TAKEOVER_BOUND_MS);
      const restarted = await start(`${instance.name}-restarted`);
      survivors[position] = restarted;
      await submit(restarted, next++);
    }

    for (const job of jobs) {
      const done = await waitForJob<Job>(survivors[0]!.call, issuer.apiKey, job.jobId, 60_000);
      expect(done.state, job.jobId).toBe("completed");
      expect(done.tokenIds).toHaveLength(job.quantity);
    }
    await mineAtOnce();
    expect(await balancesOf(jobs.map((job) => job.to))).toEqual(jobs.map((job) => BigInt(job.quantity)));
    const minted = jobs.reduce((sum, job) => sum + job.quantity, 0);
    expect(await mintedCount(editionId)).toBe(500n + BigInt(minted));
    await expectNoNonceReused(fromBlock, signer);
    const sent = await expectNoNonceReused(fromBlock, issuer.sender);
    // Exactly one transaction per job (each is a single chunk), each from the issuer's operating key.
    expect(sent.filter((transaction) => transaction.to?.toLowerCase() === issuer.collection.toLowerCase())).toHaveLength(jobs.length);
  });
});
