import type { Address, Hex } from "viem";
import type { StartAnvilReturnType } from "../../chain/startAnvil.js";
import type { ChainClients } from "../../chain/createChainClients.js";
import type { WriteLocks } from "../../cluster/createWriteLock.js";
import type { TestDatabase } from "../../../test/support/openTestDatabase.js";
import type { IssuerKeyring } from "../../issuers/accounts/createIssuerKeyring.js";
import type { MintJobView } from "../../views/mintJobView.js";
import type { MintSenderPool } from "./createMintSenderPool.js";

import pino from "pino";
import { createPublicClient, custom, getAddress, http, keccak256, parseEther, recoverTransactionAddress, toHex } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { createIssuerCollection } from "../../../test/support/createIssuerCollection.js";
import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { rpc } from "../../../test/support/rpc.js";
import { ISSUER_ROLE, createEditionAsIssuer, sendAsIssuerKey } from "../../../test/support/sendAsIssuerKey.js";
import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { createChainClients } from "../../chain/createChainClients.js";
import { startAnvil } from "../../chain/startAnvil.js";
import { createWriteLocks } from "../../cluster/createWriteLock.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../config/loadConfig.js";
import { ensureFactoryDeployed } from "../../deployment/ensureFactoryDeployed.js";
import { createGasFunder } from "../../gas/createGasFunder.js";
import { createIssuerKeyring } from "../../issuers/accounts/createIssuerKeyring.js";
import { createIssuer } from "../../issuers/createIssuer.js";
import { getMintJob } from "../getMintJob.js";
import { submitMintJob } from "../submitMintJob.js";
import { createMintSenderPool, mintSenderLeaseName } from "./createMintSenderPool.js";

let anvil: StartAnvilReturnType;
let testDatabase: TestDatabase;
let chain: ChainClients;
let keyring: IssuerKeyring;
let writeLocks: WriteLocks;
let factoryAddress: Address;
const silent = pino({ level: "silent" });

/** Transactions from these keys reach no node while listed: their sender waits on a transaction never mined. */
const withheldKeys = new Set<Address>();
const withheld: Hex[] = [];

beforeAll(async () => {
  anvil = await startAnvil();
  testDatabase = await openTestDatabase();
  const platform = createChainClients({ rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
  // The senders' node: as Anvil, except that it swallows what the withheld keys broadcast (as a node
  // whose pool dropped an underpriced transaction would), so those keys' transactions are never mined.
  const forward = http(anvil.rpcUrl)({});
  const transport = custom({
    async request({ method, params }: { method: string; params?: unknown }) {
      if (method === "eth_sendRawTransaction") {
        const [raw] = params as [Hex];
        const from = (await recoverTransactionAddress({ serializedTransaction: raw as never })).toLowerCase() as Address;
        if (withheldKeys.has(from)) {
          withheld.push(raw);
          return keccak256(raw);
        }
      }
      return forward.request({ method, params } as never);
    },
  });
  chain = { ...platform, publicClient: createPublicClient({ chain: platform.publicClient.chain, transport, pollingInterval: 50 }) };
  keyring = createIssuerKeyring({ db: testDatabase.db, mnemonic: WELL_KNOWN_DEV_MNEMONIC });
  writeLocks = createWriteLocks({ db: testDatabase.db, chainId: chain.chainId });
  ({ factoryAddress } = await ensureFactoryDeployed({ db: testDatabase.db, chain: platform }));
});

afterAll(async () => {
  await testDatabase?.dispose();
  await anvil?.stop();
});

/** An issuer whose collection's mints are sent by its own operating key, with an edition of `maxSupply`. */
async function issuerWithEdition(name: string, maxSupply: number) {
  const { db } = testDatabase;
  const { issuerId } = await createIssuer({ db, issuerKeyring: keyring }, { name });
  const collection = await createIssuerCollection(
    { db, chain, factoryAddress, writeLock: writeLocks(chain.walletClient.account.address) },
    { issuerId, name, symbol: "ISS" },
  );
  const operating = (await keyring.accountFor(collection.operatingAddress))!;
  const admin = (await keyring.accountFor(collection.adminAddress))!;
  const editionId = await createEditionAsIssuer(chain, operating, collection.address, maxSupply);
  return { issuerId, collection: collection.address, operating, admin, editionId };
}

function startPool(settings: { budgetWei?: bigint } = {}): MintSenderPool {
  const { db } = testDatabase;
  const gasFunder = createGasFunder(
    { db, chain, writeLock: writeLocks(chain.walletClient.account.address), logger: silent },
    { topUpWei: parseEther("0.1"), budgetWei: settings.budgetWei ?? parseEther("10"), budgetWindowMs: 3_600_000 },
  );
  return createMintSenderPool(
    {
      db,
      chain,
      writeLocks,
      issuerKeyring: keyring,
      gasFunder,
      logger: silent,
      leaseDefaults: { db, holderId: "pool-test", ttlMs: 3_000, logger: silent, takeOverAtStart: true },
    },
    { senderOptions: { idlePollMs: 50, waitRetryMs: 200 }, discoverEveryMs: 100, idleStopAfterMs: 1_000 },
  );
}

function submit(issuer: { issuerId: string; collection: Address; editionId: bigint }, idempotencyKey: string, request: Parameters<typeof submitMintJob>[1]["request"]) {
  return submitMintJob(
    { db: testDatabase.db, chain, issuerKeyring: keyring, writeLocks },
    { issuerId: issuer.issuerId, collection: issuer.collection, editionId: issuer.editionId, idempotencyKey, request },
  );
}

async function waitForJob(jobId: string, done: (job: MintJobView) => boolean, timeoutMs = 30_000): Promise<MintJobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getMintJob(testDatabase.db, jobId);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId}: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const finished = (job: MintJobView) => job.state === "completed" || job.state === "failed";

function recipients(label: string, count: number): Address[] {
  return Array.from({ length: count }, (_, index) => getAddress(`0x${keccak256(toHex(`${label}-${index}`)).slice(-40)}`));
}

async function balanceOf(collection: Address, owner: Address): Promise<bigint> {
  return chain.publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [owner] });
}

test("two issuers' operating keys send their airdrops in parallel, each from its own key, funded by the platform", async () => {
  const dunhuang = await issuerWithEdition("Dunhuang", 1_000);
  const palace = await issuerWithEdition("Palace", 1_000);
  const pool = startPool();
  await pool.start();
  // Blocks every second: one sender would put at most one of its transactions in each block.
  await rpc(anvil.rpcUrl, "evm_setAutomine", [false]);
  await rpc(anvil.rpcUrl, "evm_setIntervalMining", [1]);
  try {
    const jobs = [await submit(dunhuang, "parallel", { kind: "airdrop", recipients: recipients("dunhuang", 450) }), await submit(palace, "parallel", { kind: "airdrop", recipients: recipients("palace", 450) })];
    expect(jobs.map((job) => job.sender)).toEqual([dunhuang.operating.address, palace.operating.address]);
    for (const job of jobs) pool.wake(job.sender);
    // This instance holds three sender leases: the platform key's and both operating keys'.
    await expect.poll(() => pool.heldLeases(), { timeout: 5_000, interval: 20 }).toBe(3);

    const [first, second] = await Promise.all(jobs.map((job) => waitForJob(job.jobId, finished, 60_000)));
    expect([first!.state, second!.state]).toEqual(["completed", "completed"]);
    expect(first!.transactions).toHaveLength(3);
    expect(second!.transactions).toHaveLength(3);
    const minedBy = async (hashes: string[]) =>
      Promise.all(hashes.map(async (hash) => chain.publicClient.getTransaction({ hash: hash as Hex })));
    const [dunhuangTxs, palaceTxs] = await Promise.all([minedBy(first!.transactions), minedBy(second!.transactions)]);
    expect(new Set(dunhuangTxs.map((tx) => tx.from.toLowerCase()))).toEqual(new Set([dunhuang.operating.address]));
    expect(new Set(palaceTxs.map((tx) => tx.from.toLowerCase()))).toEqual(new Set([palace.operating.address]));
    // Both keys started empty: the platform's funding key paid their gas.
    const { rows: topUps } = await testDatabase.db.query<{ issuer_id: string }>("SELECT DISTINCT issuer_id FROM gas_top_ups WHERE state = 'mined' AND issuer_id = ANY($1)", [
      [dunhuang.issuerId, palace.issuerId],
    ]);
    expect(topUps).toHaveLength(2);
    // In parallel: some block holds both keys' airdrops.
    const palaceBlocks = new Set(palaceTxs.map((tx) => tx.blockNumber));
    expect(dunhuangTxs.some((tx) => palaceBlocks.has(tx.blockNumber))).toBe(true);

    // Idle keys are let go and their leases released; the platform key's sender stays.
    await expect.poll(() => pool.senders(), { timeout: 10_000, interval: 100 }).toEqual([chain.walletClient.account.address]);
    const { rows } = await testDatabase.db.query<{ name: string; expired: boolean }>("SELECT name, expires_at <= now() AS expired FROM leases WHERE name = ANY($1)", [
      [dunhuang.operating.address, palace.operating.address].map((address) => mintSenderLeaseName(chain.chainId, address)),
    ]);
    expect(rows.map((row) => row.expired)).toEqual([true, true]);
  } finally {
    await rpc(anvil.rpcUrl, "evm_setIntervalMining", [0]);
    await rpc(anvil.rpcUrl, "evm_setAutomine", [true]);
    await pool.stop();
  }
  expect(pool.heldLeases()).toBe(0);
});

test("one issuer's transaction that is never mined holds up only that issuer: the other's mints complete, and the stuck one completes once mined, once", async () => {
  const stuck = await issuerWithEdition("Stuck", 100);
  const flowing = await issuerWithEdition("Flowing", 100);
  const pool = startPool();
  await pool.start();
  withheldKeys.add(stuck.operating.address);
  try {
    const stuckJob = await submit(stuck, "stuck", { kind: "mint", to: recipients("stuck", 1)[0]!, quantity: 2 });
    pool.wake(stuckJob.sender);
    await expect.poll(() => withheld.length, { timeout: 15_000, interval: 50 }).toBe(1);

    const flowingJobs = [];
    for (const [index, to] of recipients("flowing", 3).entries()) {
      flowingJobs.push(await submit(flowing, `flowing-${index}`, { kind: "mint", to, quantity: 1 }));
      pool.wake(flowing.operating.address);
    }
    for (const job of flowingJobs) expect((await waitForJob(job.jobId, finished)).state).toBe("completed");
    expect((await getMintJob(testDatabase.db, stuckJob.jobId)).state).toBe("sending");
    expect(await balanceOf(stuck.collection, recipients("stuck", 1)[0]!)).toBe(0n);

    // The stuck transaction reaches the chain at last.
    withheldKeys.delete(stuck.operating.address);
    await chain.publicClient.sendRawTransaction({ serializedTransaction: withheld.pop()! });
    const done = await waitForJob(stuckJob.jobId, finished);
    expect(done.state).toBe("completed");
    expect(done.transactions).toHaveLength(1);
    expect(await balanceOf(stuck.collection, recipients("stuck", 1)[0]!)).toBe(2n);
  } finally {
    withheldKeys.clear();
    await pool.stop();
  }
});

test("a revoked operating key: the next submission is refused with ISSUER_KEY_REVOKED and writes nothing; a job accepted before waits, visibly, and completes once the role is granted back", async () => {
  const issuer = await issuerWithEdition("Revoking", 100);
  const to = recipients("revoked", 1)[0]!;
  // Accepted while the key holds the role; no sender runs yet.
  const accepted = await submit(issuer, "before-revocation", { kind: "mint", to, quantity: 3 });
  await sendAsIssuerKey(chain, issuer.admin, { collection: issuer.collection, functionName: "revokeRole", args: [ISSUER_ROLE, issuer.operating.address] });

  const countJobs = async () => (await testDatabase.db.query("SELECT 1 FROM mint_jobs WHERE issuer_id = $1", [issuer.issuerId])).rows.length;
  const jobsBefore = await countJobs();
  await expect(submit(issuer, "after-revocation", { kind: "mint", to, quantity: 1 })).rejects.toMatchObject({
    code: "ISSUER_KEY_REVOKED",
    status: 409,
    details: { operatingKey: issuer.operating.address, collection: issuer.collection },
  });
  expect(await countJobs()).toBe(jobsBefore);

  const pool = startPool();
  await pool.start();
  try {
    const waiting = await waitForJob(accepted.jobId, (job) => job.waiting !== null);
    expect(waiting).toMatchObject({ state: "queued", sender: issuer.operating.address, error: null, waiting: { code: "ISSUER_KEY_REVOKED" } });
    // It keeps waiting: nothing is minted, and the job does not fail.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await getMintJob(testDatabase.db, accepted.jobId)).toMatchObject({ state: "queued", waiting: { code: "ISSUER_KEY_REVOKED" } });
    expect(await balanceOf(issuer.collection, to)).toBe(0n);

    await sendAsIssuerKey(chain, issuer.admin, { collection: issuer.collection, functionName: "grantRole", args: [ISSUER_ROLE, issuer.operating.address] });
    const done = await waitForJob(accepted.jobId, finished);
    expect(done).toMatchObject({ state: "completed", waiting: null, error: null });
    expect(await balanceOf(issuer.collection, to)).toBe(3n);
  } finally {
    await pool.stop();
  }
});

test("an issuer past its gas budget: its job waits with ISSUER_GAS_BUDGET_EXCEEDED instead of failing, and its key is not funded", async () => {
  const broke = await issuerWithEdition("Over budget", 10);
  const pool = startPool({ budgetWei: parseEther("0.000000001") });
  await pool.start();
  try {
    const job = await submit(broke, "over-budget", { kind: "mint", to: recipients("budget", 1)[0]!, quantity: 1 });
    pool.wake(job.sender);
    const waiting = await waitForJob(job.jobId, (view) => view.waiting !== null);
    expect(waiting).toMatchObject({ state: "queued", error: null, waiting: { code: "ISSUER_GAS_BUDGET_EXCEEDED", details: { issuerId: broke.issuerId } } });
    expect(await chain.publicClient.getBalance({ address: broke.operating.address })).toBe(0n);
  } finally {
    await pool.stop();
  }
});
