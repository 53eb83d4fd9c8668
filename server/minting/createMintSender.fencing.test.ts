import type { StartAnvilReturnType } from "../chain/startAnvil.js";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Database } from "../db/Database.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";

import { Writable } from "node:stream";

import pino from "pino";
import { getAddress } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { createEditionOnChain } from "../../test/support/platformFixture.js";
import { TEST_POSTGRES_URL, openTestDatabase } from "../../test/support/openTestDatabase.js";
import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { createChainClients } from "../chain/createChainClients.js";
import { createWriteLock, createWriteLocks } from "../cluster/createWriteLock.js";
import { ensureFactoryDeployed } from "../deployment/ensureFactoryDeployed.js";
import { startAnvil } from "../chain/startAnvil.js";
import { createLeaseKeeper } from "../cluster/createLeaseKeeper.js";
import { fencedDatabase } from "../cluster/fencedDatabase.js";
import { createIssuerCollectionOnChain } from "../../test/support/createIssuerCollectionOnChain.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";
import { createIssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import { openPostgres } from "../db/openPostgres.js";
import { createIssuer } from "../issuers/createIssuer.js";
import { createMintSender } from "./createMintSender.js";
import { getMintJob } from "./getMintJob.js";
import { submitMintJob } from "./submitMintJob.js";

let anvil: StartAnvilReturnType;
let testDatabase: TestDatabase;
let otherInstanceDb: Database;
let chain: ChainClients;

beforeAll(async () => {
  anvil = await startAnvil();
  testDatabase = await openTestDatabase("postgres");
  otherInstanceDb = await openPostgres({ connectionString: TEST_POSTGRES_URL, schema: testDatabase.schema!, maxConnections: 4 });
  chain = createChainClients({ rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
});

afterAll(async () => {
  await otherInstanceDb?.close();
  await testDatabase?.dispose();
  await anvil?.stop();
});

/** What `submitMintJob` needs to find a collection's sending key. */
function minting() {
  const { db } = testDatabase;
  return { db, chain, issuerKeyring: createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC }), writeLocks: createWriteLocks({ db, chainId: chain.chainId }) };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("a sender whose lease was taken over (still believing it holds it) gets its signed transaction refused and broadcasts nothing", async () => {
  const { db } = testDatabase;
  const logLines: Array<{ msg: string; err?: { code?: string } }> = [];
  const logger = pino(
    { level: "error" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString()) as { msg: string; err?: { code?: string } });
        done();
      },
    }),
  );
  const signer = chain.walletClient.account.address;
  const writeLock = createWriteLock({ db, chainId: chain.chainId, signer });
  const { factoryAddress } = await ensureFactoryDeployed({ db, chain });
  const { issuerId } = await createIssuer({ db, issuerKeyring: createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC }) }, { name: "Fenced" });
  // Made the old way (the platform's key holds both roles): the fencing is tested on the platform key's sender.
  const collection = (await createIssuerCollectionOnChain({ db, rpcUrl: anvil.rpcUrl, chainId: chain.chainId, factoryAddress }, { issuerId, name: "F", issuerAccounts: false }))
    .collection;
  const editionId = await createEditionOnChain(anvil.rpcUrl, collection, 100);
  const to = getAddress("0x000000000000000000000000000000000000fe9c");
  const silent = pino({ level: "silent" });

  // Instance A holds the lease with a long term, so it does not notice losing it during the test.
  const leaseA = createLeaseKeeper({
    db,
    name: "mint-sender:test",
    holderId: "a",
    ttlMs: 60_000,
    logger: silent,
    onAcquired: () => {},
    onLost: async () => {},
  });
  await leaseA.start();
  const senderA = createMintSender({ db: fencedDatabase(db, leaseA), lease: leaseA, chain, writeLock, logger, idlePollMs: 50 });
  senderA.start();
  const first = await submitMintJob(minting(), { issuerId, collection, editionId, idempotencyKey: "first", request: { kind: "mint", to, quantity: 2 } });
  await until(async () => (await getMintJob(db, first.jobId)).state === "completed");

  // Instance B takes the lease over (as after A stalled past its term); A still believes it holds it.
  const leaseB = createLeaseKeeper({
    db: otherInstanceDb,
    name: "mint-sender:test",
    holderId: "b",
    ttlMs: 60_000,
    logger: silent,
    onAcquired: () => {},
    onLost: async () => {},
    takeOverAtStart: true,
  });
  await leaseB.start();
  expect(leaseB.epoch()).toBe(leaseA.epoch()! + 1n);
  expect(leaseA.isHeld()).toBe(true);
  const nonceBefore = await chain.publicClient.getTransactionCount({ address: signer, blockTag: "pending" });

  const second = await submitMintJob(minting(), { issuerId, collection, editionId, idempotencyKey: "second", request: { kind: "mint", to, quantity: 3 } });
  senderA.wake();
  await until(() => logLines.some((line) => line.err?.code === "LEASE_LOST"));
  await senderA.stop();
  // A signed, but its store of the signed transaction was refused: nothing was recorded or broadcast.
  expect((await getMintJob(db, second.jobId)).state).toBe("queued");
  expect(await chain.publicClient.getTransactionCount({ address: signer, blockTag: "pending" })).toBe(nonceBefore);
  const { rows } = await db.query("SELECT 1 FROM chain_transactions WHERE job_id = $1", [second.jobId]);
  expect(rows).toHaveLength(0);

  // The new holder sends it, once.
  const senderB = createMintSender({
    db: fencedDatabase(otherInstanceDb, leaseB),
    lease: leaseB,
    chain,
    writeLock: createWriteLock({ db: otherInstanceDb, chainId: chain.chainId, signer }),
    logger: silent,
    idlePollMs: 50,
  });
  senderB.start();
  try {
    await until(async () => (await getMintJob(db, second.jobId)).state === "completed");
  } finally {
    await senderB.stop();
    await leaseB.stop();
    await leaseA.stop();
  }
  expect(await chain.publicClient.getTransactionCount({ address: signer, blockTag: "latest" })).toBe(nonceBefore + 1);
  expect(
    await chain.publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [to] }),
  ).toBe(5n);
});
