import type { Address } from "viem";
import type { StartAnvilReturnType } from "../chain/startAnvil.js";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Database } from "../db/Database.js";

import pino from "pino";
import { createPublicClient, custom, http } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { createIssuerCollectionOnChain } from "../../test/support/createIssuerCollectionOnChain.js";
import { createEditionOnChain } from "../../test/support/platformFixture.js";
import { createIssuer } from "../issuers/createIssuer.js";
import { createIssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { createChainClients } from "../chain/createChainClients.js";
import { createWriteLock, createWriteLocks } from "../cluster/createWriteLock.js";
import { ensureFactoryDeployed } from "../deployment/ensureFactoryDeployed.js";
import { startAnvil } from "../chain/startAnvil.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";
import { migrate } from "../db/migrate.js";
import { openPglite } from "../db/openPglite.js";
import { createMintSender } from "./createMintSender.js";
import { getMintJob } from "./getMintJob.js";
import { submitMintJob } from "./submitMintJob.js";

let anvil: StartAnvilReturnType;
let db: Database;
let chain: ChainClients;

beforeAll(async () => {
  anvil = await startAnvil();
  db = await openPglite();
  await migrate(db);
  chain = createChainClients({ rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
});

afterAll(async () => {
  await db?.close();
  await anvil?.stop();
});

/** What `submitMintJob` needs to find a collection's sending key. */
function minting() {
  return { db, chain, issuerKeyring: createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC }), writeLocks: createWriteLocks({ db, chainId: chain.chainId }) };
}

async function waitForState(jobId: string, states: string[]): Promise<Awaited<ReturnType<typeof getMintJob>>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await getMintJob(db, jobId);
    if (states.includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job still ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A collection made the old way (the platform's key holds both roles), so these tests exercise one sender's
 * mechanics with the platform's key; the per-key senders of issuer keys are tested in senderPool/ and test/server.
 */
async function platformKeyCollection(factoryAddress: Address, issuerId: string, name: string): Promise<Address> {
  const made = await createIssuerCollectionOnChain({ db, rpcUrl: anvil.rpcUrl, chainId: chain.chainId, factoryAddress }, { issuerId, name, issuerAccounts: false });
  return made.collection;
}

/** A fresh issuer, collection and edition of `maxSupply` on the shared chain. */
async function freshEdition(label: string, maxSupply: number) {
  const writeLock = createWriteLock();
  const { factoryAddress } = await ensureFactoryDeployed({ db, chain });
  const { issuerId } = await createIssuer({ db, issuerKeyring: createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC }) }, { name: `Issuer ${label}` });
  const address = await platformKeyCollection(factoryAddress, issuerId, label);
  const editionId = await createEditionOnChain(anvil.rpcUrl, address, maxSupply);
  return { writeLock, issuerId, address, editionId };
}

/** Chain clients whose node says "no receipt" for `withholdMs` after a transaction is first asked about (it has one). */
function withReceiptsWithheld(withholdMs: number): ChainClients {
  const firstAskedAt = new Map<string, number>();
  const forward = http(anvil.rpcUrl)({});
  const transport = custom({
    async request({ method, params }: { method: string; params?: unknown }) {
      if (method === "eth_getTransactionReceipt") {
        const [hash] = params as [string];
        if (!firstAskedAt.has(hash)) firstAskedAt.set(hash, Date.now());
        if (Date.now() - firstAskedAt.get(hash)! < withholdMs) return null;
      }
      return forward.request({ method, params } as never);
    },
  });
  return { ...chain, publicClient: createPublicClient({ chain: chain.publicClient.chain, transport, pollingInterval: 50 }) };
}

test("a job the contract refuses fails with the decoded code and does not block the jobs behind it", async () => {
  const writeLock = createWriteLock();
  const { factoryAddress } = await ensureFactoryDeployed({ db, chain });
  const { issuerId } = await createIssuer({ db, issuerKeyring: createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC }) }, { name: "Issuer" });
  const address = await platformKeyCollection(factoryAddress, issuerId, "C");
  const doomedEdition = await createEditionOnChain(anvil.rpcUrl, address, 5);
  const healthyEdition = await createEditionOnChain(anvil.rpcUrl, address, 5);
  const to = "0x000000000000000000000000000000000000bEEF";

  const doomed = await submitMintJob(minting(), { issuerId, collection: address, editionId: doomedEdition, idempotencyKey: "doomed", request: { kind: "mint", to, quantity: 2 } });
  const healthy = await submitMintJob(minting(), { issuerId, collection: address, editionId: healthyEdition, idempotencyKey: "healthy", request: { kind: "mint", to, quantity: 2 } });
  // The issuer closes the first edition after the job was accepted and before it is sent.
  const closed = await chain.walletClient.writeContract({ address, abi: vermilionCollectionAbi, functionName: "closeEdition", args: [doomedEdition] });
  await chain.publicClient.waitForTransactionReceipt({ hash: closed });

  const sender = createMintSender({ db, chain, writeLock, logger: pino({ level: "silent" }), idlePollMs: 50 });
  sender.start();
  try {
    const failed = await waitForState(doomed.jobId, ["failed", "completed"]);
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("EDITION_SEALED");
    const completed = await waitForState(healthy.jobId, ["failed", "completed"]);
    expect(completed.state).toBe("completed");
    expect(completed.tokenIds).toHaveLength(2);
  } finally {
    await sender.stop();
  }
});

test("a receipt that shows up only after the nonce advanced is recognised: the chunk is not sent twice", async () => {
  const writeLock = createWriteLock();
  const { factoryAddress } = await ensureFactoryDeployed({ db, chain });
  const { issuerId } = await createIssuer({ db, issuerKeyring: createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC }) }, { name: "Issuer late receipts" });
  const address = await platformKeyCollection(factoryAddress, issuerId, "L");
  const editionId = await createEditionOnChain(anvil.rpcUrl, address, 10);

  // The node answers "no receipt yet" the first time each transaction is asked about, although it is
  // already mined: the window in which a sender that trusts one look would send the chunk again.
  const askedBefore = new Set<string>();
  const forward = http(anvil.rpcUrl)({});
  const lateReceipts = custom({
    async request({ method, params }: { method: string; params?: unknown }) {
      if (method === "eth_getTransactionReceipt") {
        const [hash] = params as [string];
        if (!askedBefore.has(hash)) {
          askedBefore.add(hash);
          return null;
        }
      }
      return forward.request({ method, params } as never);
    },
  });
  const laggingChain: ChainClients = {
    ...chain,
    publicClient: createPublicClient({ chain: chain.publicClient.chain, transport: lateReceipts, pollingInterval: 50 }),
  };
  const job = await submitMintJob(minting(), { issuerId, collection: address, editionId, idempotencyKey: "late", request: { kind: "mint", to: "0x000000000000000000000000000000000000cafE", quantity: 3 } });
  const sender = createMintSender({ db, chain: laggingChain, writeLock, logger: pino({ level: "silent" }), idlePollMs: 50 });
  sender.start();
  try {
    const settled = await waitForState(job.jobId, ["failed", "completed"]);
    expect(settled.state).toBe("completed");
    const edition = await chain.publicClient.readContract({ address, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] });
    expect(edition.mintedCount).toBe(3n);
  } finally {
    await sender.stop();
  }
});

test("a node that shows the new nonce seconds before it serves the receipt does not make the chunk go out twice", async () => {
  // Exactly the job's size: a second send would revert with EDITION_SEALED and fail the job.
  const { writeLock, issuerId, address, editionId } = await freshEdition("slow receipts", 3);
  const job = await submitMintJob(minting(), { issuerId, collection: address, editionId, idempotencyKey: "slow", request: { kind: "mint", to: "0x000000000000000000000000000000000000cafE", quantity: 3 } });
  const sender = createMintSender({ db, chain: withReceiptsWithheld(2_000), writeLock, logger: pino({ level: "silent" }), idlePollMs: 50 });
  sender.start();
  try {
    const settled = await waitForState(job.jobId, ["failed", "completed"]);
    expect(settled.error).toBeNull();
    expect(settled.state).toBe("completed");
    expect(settled.transactions).toHaveLength(1);
  } finally {
    await sender.stop();
  }
});

test("a nonce that another signer of the key really used is given up after the grace period and the chunk is sent once more", async () => {
  const { writeLock, issuerId, address, editionId } = await freshEdition("foreign nonce", 10);
  const forward = http(anvil.rpcUrl)({});

  // The first broadcast never reaches the node; instead another holder of the key spends that nonce
  // on an unrelated transaction (a self-transfer of 0 ETH).
  let swallowed = false;
  const hijacking = custom({
    async request({ method, params }: { method: string; params?: unknown }) {
      if (method === "eth_sendRawTransaction" && !swallowed) {
        swallowed = true;
        const nonce = await chain.publicClient.getTransactionCount({ address: chain.walletClient.account.address, blockTag: "pending" });
        await chain.walletClient.sendTransaction({ to: chain.walletClient.account.address, value: 0n, nonce, chain: chain.walletClient.chain, account: chain.walletClient.account });
        return "0x";
      }
      return forward.request({ method, params } as never);
    },
  });
  const hijackedChain: ChainClients = {
    ...chain,
    publicClient: createPublicClient({ chain: chain.publicClient.chain, transport: hijacking, pollingInterval: 50 }),
  };
  const job = await submitMintJob(minting(), { issuerId, collection: address, editionId, idempotencyKey: "foreign", request: { kind: "mint", to: "0x000000000000000000000000000000000000cafE", quantity: 2 } });
  const sender = createMintSender({ db, chain: hijackedChain, writeLock, logger: pino({ level: "silent" }), idlePollMs: 50, foreignNonceAfterMs: 500 });
  sender.start();
  try {
    const settled = await waitForState(job.jobId, ["failed", "completed"]);
    expect(settled.state).toBe("completed");
    const edition = await chain.publicClient.readContract({ address, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] });
    expect(edition.mintedCount).toBe(2n);
    const { rows } = await db.query<{ state: string }>("SELECT state FROM chain_transactions WHERE job_id = $1 ORDER BY nonce", [job.jobId]);
    expect(rows.map((row) => row.state)).toEqual(["dropped", "mined"]);
  } finally {
    await sender.stop();
  }
});

test("a chunk mined but not yet recorded by the sender is not counted twice when the next job for its edition is accepted", async () => {
  const { writeLock, issuerId, address, editionId } = await freshEdition("last tokens", 4);
  const to = "0x000000000000000000000000000000000000cafE";
  const first = await submitMintJob(minting(), { issuerId, collection: address, editionId, idempotencyKey: "first-three", request: { kind: "mint", to, quantity: 3 } });
  // The sender's node withholds receipts for 3 s: the first job is mined but still 'sending' here.
  const sender = createMintSender({ db, chain: withReceiptsWithheld(3_000), writeLock, logger: pino({ level: "silent" }), idlePollMs: 50 });
  sender.start();
  try {
    const readMinted = async () =>
      (await chain.publicClient.readContract({ address, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] })).mintedCount;
    await expect.poll(readMinted, { timeout: 10_000, interval: 20 }).toBe(3n);
    expect((await getMintJob(db, first.jobId)).state).toBe("sending");

    // 4 - 3 minted = 1 left, although the first job's chunk is still 'sent' in the database.
    const last = await submitMintJob(minting(), { issuerId, collection: address, editionId, idempotencyKey: "the-last", request: { kind: "mint", to, quantity: 1 } });
    expect(last.created).toBe(true);
    await expect(
      submitMintJob(minting(), { issuerId, collection: address, editionId, idempotencyKey: "one-too-many", request: { kind: "mint", to, quantity: 1 } }),
    ).rejects.toMatchObject({ code: "EDITION_SOLD_OUT" });
    expect((await waitForState(last.jobId, ["failed", "completed"])).state).toBe("completed");
    expect(await readMinted()).toBe(4n);
  } finally {
    await sender.stop();
  }
});

test("jobs accepted one after another go out without waiting for each other's receipts, one chunk per job in flight, each job's chunks in order", async () => {
  const { writeLock, issuerId, address, editionId } = await freshEdition("in flight", 600);
  const to = "0x000000000000000000000000000000000000cafE";
  const singles = [];
  for (const index of [1, 2, 3]) {
    singles.push(await submitMintJob(minting(), { issuerId, collection: address, editionId, idempotencyKey: `single-${index}`, request: { kind: "mint", to, quantity: 1 } }));
  }
  // Two chunks (500 + 1 tokens): the second may go out only once the first is settled.
  const large = await submitMintJob(minting(), { issuerId, collection: address, editionId, idempotencyKey: "large", request: { kind: "mint", to, quantity: 501 } });
  const setAutomine = (on: boolean) => chain.publicClient.request({ method: "evm_setAutomine" as never, params: [on] as never });
  const broadcastOf = async () =>
    (
      await db.query<{ job_id: string; chunk_index: number; nonce: bigint }>(
        "SELECT job_id, chunk_index, nonce FROM chain_transactions WHERE sender = $1 AND state = 'broadcast' ORDER BY nonce",
        [chain.walletClient.account.address],
      )
    ).rows;
  await setAutomine(false);
  const sender = createMintSender({ db, chain, writeLock, logger: pino({ level: "silent" }), idlePollMs: 50 });
  sender.start();
  try {
    // Nothing is mined, yet every job has its first chunk out, with consecutive nonces.
    await expect.poll(async () => (await broadcastOf()).length, { timeout: 15_000, interval: 50 }).toBe(4);
    const waiting = await broadcastOf();
    expect(new Set(waiting.map((row) => row.job_id))).toEqual(new Set([...singles.map((job) => job.jobId), large.jobId]));
    expect(waiting.find((row) => row.job_id === large.jobId)?.chunk_index).toBe(0);
    expect(waiting.map((row) => row.nonce - waiting[0]!.nonce)).toEqual([0n, 1n, 2n, 3n]);

    await setAutomine(true);
    await chain.publicClient.request({ method: "evm_mine" as never });
    for (const job of [...singles, large]) expect((await waitForState(job.jobId, ["failed", "completed"])).state).toBe("completed");
    const done = await getMintJob(db, large.jobId);
    expect(done.transactions).toHaveLength(2);
    expect(done.tokenIds.map(BigInt)).toEqual([...done.tokenIds.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));
  } finally {
    await setAutomine(true);
    await sender.stop();
  }
});
