import type { Address, Hex } from "viem";
import type { StartAnvilReturnType } from "../support/startAnvil.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import path from "node:path";

import { getAddress } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { openPglite } from "../../server/db/openPglite.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../support/httpClient.js";
import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { startAnvil } from "../support/startAnvil.js";
import { startTestPlatform } from "../support/startTestPlatform.js";
import { createTestChain } from "../support/txpool.js";

interface MintJob {
  state: string;
  sender: Address;
  transactions: Hex[];
  tokenIds: string[];
}

let anvil: StartAnvilReturnType;
let platform: TestPlatform;
let chain: ReturnType<typeof createTestChain>;
let issuer: { apiKey: string; collection: Address };
let editionId: bigint;

beforeAll(async () => {
  anvil = await startAnvil();
  chain = createTestChain(anvil.rpcUrl);
  // The mempool is checked every 300 ms here (3 s by default) so the test need not wait long.
  platform = await startTestPlatform("dropped", { RPC_URL: anvil.rpcUrl }, { mempoolCheckMs: 300 });
  issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!);
  editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 100);
  // A first mint while blocks still come by themselves: the issuer's key gets its gas top-up now, so
  // the mints below send nothing but their own transaction.
  const warmUp = await submitMint(platform.call, "dropped-warm-up", getAddress("0x000000000000000000000000000000000000d00d"), 1);
  expect((await waitForJob<MintJob>(platform.call, issuer.apiKey, warmUp.jobId)).state).toBe("completed");
  // From here the test mines: a transaction stays in the mempool until it does.
  await chain.setAutomine(false);
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await anvil?.stop();
});

async function submitMint(call: TestPlatform["call"], idempotencyKey: string, to: Address, quantity: number): Promise<MintJob & { jobId: string }> {
  const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
    key: issuer.apiKey,
    headers: { "idempotency-key": idempotencyKey },
    body: { to, quantity },
  });
  expect(accepted.status).toBe(202);
  const job = await call<MintJob>("GET", `/api/jobs/${accepted.body.jobId}`, { key: issuer.apiKey });
  return { ...job.body, jobId: accepted.body.jobId };
}

/** Mines until the job is completed (the sender's transaction needs a block) and returns it. */
async function mineUntilDone(call: TestPlatform["call"], jobId: string): Promise<MintJob> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await call<MintJob>("GET", `/api/jobs/${jobId}`, { key: issuer.apiKey });
    if (job.body.state === "completed" || job.body.state === "failed") return job.body;
    if (Date.now() > deadline) throw new Error(`job still ${job.body.state}`);
    await chain.mine();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The chain holds exactly one mint of the job: the recipient's tokens, and one transaction for the nonce. */
async function expectExactlyOneMint(parameters: { recipient: Address; quantity: number; sender: Address; nonce: bigint; hash: Hex }) {
  const { client } = chain;
  expect(await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [parameters.recipient] })).toBe(
    BigInt(parameters.quantity),
  );
  expect(BigInt(await client.getTransactionCount({ address: parameters.sender, blockTag: "latest" }))).toBe(parameters.nonce + 1n);
  expect((await client.getTransactionReceipt({ hash: parameters.hash })).status).toBe("success");
  expect(await chain.pendingOf(parameters.sender)).toEqual([]);
}

/** The job's stored transactions: the one signed, mined; none signed again. */
async function storedTransactions(dataDir: string, jobId: string): Promise<{ tx_hash: string; state: string }[]> {
  const db = await openPglite({ dataDir: path.join(dataDir, "db") });
  try {
    const { rows } = await db.query<{ tx_hash: string; state: string }>("SELECT tx_hash, state FROM chain_transactions WHERE job_id = $1", [jobId]);
    return rows;
  } finally {
    await db.close();
  }
}

test("a mint transaction dropped from the mempool is re-broadcast from its signed bytes and mined once", async () => {
  const recipient = getAddress("0x000000000000000000000000000000000000d01d");
  const job = await submitMint(platform.call, "dropped-1", recipient, 3);
  const sent = await chain.waitForPendingOf(job.sender);

  await chain.dropTransaction(sent.hash);
  expect(await chain.getTransactionByHash(sent.hash)).toBeNull();

  // The sender notices and sends the same bytes again: the same hash, never a new signature.
  const again = await chain.waitForPendingOf(job.sender);
  expect(again).toEqual(sent);
  const done = await mineUntilDone(platform.call, job.jobId);
  expect(done.state).toBe("completed");
  expect(done.transactions).toEqual([sent.hash]);
  expect(done.tokenIds).toHaveLength(3);
  await expectExactlyOneMint({ recipient, quantity: 3, sender: job.sender, nonce: sent.nonce, hash: sent.hash });

  const metrics = await fetch(`${platform.server.url}/metrics`).then((response) => response.text());
  expect(metrics).toMatch(/vermilion_mint_transactions_lost_total\{cause="dropped"\} [1-9]/);
});

test("a mint transaction dropped while the server was down is re-broadcast when it starts again", async () => {
  const recipient = getAddress("0x000000000000000000000000000000000000d02d");
  const job = await submitMint(platform.call, "dropped-2", recipient, 2);
  const sent = await chain.waitForPendingOf(job.sender);

  // Down while the node loses it: nothing is left in any mempool, only in our database.
  await platform.server.stop();
  await chain.dropTransaction(sent.hash);
  expect(await chain.getTransactionByHash(sent.hash)).toBeNull();
  const restarted = await startServer(
    loadConfig({ DATA_DIR: platform.dataDir, PORT: "0", LOG_LEVEL: "silent", RPC_URL: anvil.rpcUrl }),
    { mempoolCheckMs: 300 },
  );
  try {
    const call = createApiClient(restarted.url);
    const again = await chain.waitForPendingOf(job.sender);
    expect(again).toEqual(sent);
    const done = await mineUntilDone(call, job.jobId);
    expect(done.state).toBe("completed");
    expect(done.transactions).toEqual([sent.hash]);
    await expectExactlyOneMint({ recipient, quantity: 2, sender: job.sender, nonce: sent.nonce, hash: sent.hash });
    const metrics = await fetch(`${restarted.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/vermilion_mint_transactions_lost_total\{cause="dropped"\} [1-9]/);
  } finally {
    await restarted.stop();
  }
  expect(await storedTransactions(platform.dataDir, job.jobId)).toEqual([{ tx_hash: sent.hash, state: "mined" }]);
  // afterAll stops `platform` again (a no-op) and removes its data directory.
});
