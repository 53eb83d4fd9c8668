import type { Address, Hex } from "viem";
import type { RunningServer, StartServerOptions } from "../../server/startup/startServer.js";
import type { ApiClient } from "../support/httpClient.js";
import type { StartAnvilReturnType } from "../support/startAnvil.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { createPublicClient, createWalletClient, http, parseGwei } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterEach, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { openPglite } from "../../server/db/openPglite.js";
import { startServer } from "../../server/startup/startServer.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { createApiClient, errorCode } from "../support/httpClient.js";
import { issuingAccount } from "../support/issuingAccount.js";
import { seedMigratedPglite } from "../support/pgliteTemplate.js";
import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { startAnvil } from "../support/startAnvil.js";

const gwei = (value: string) => parseGwei(value);

/** What each test started, stopped after it whatever happened. */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function chainFor(args: readonly string[]): Promise<{ anvil: StartAnvilReturnType; client: ReturnType<typeof createPublicClient> }> {
  const anvil = await startAnvil({ args });
  cleanups.push(() => anvil.stop());
  return { anvil, client: createPublicClient({ chain: { ...foundry, rpcUrls: { default: { http: [anvil.rpcUrl] } } }, transport: http(anvil.rpcUrl) }) };
}

async function rpc(client: ReturnType<typeof createPublicClient>, method: string, params: unknown[] = []): Promise<unknown> {
  return client.request({ method: method as never, params: params as never });
}

/** The test's block producer on a chain started with `--no-mining`: `evm_mine` every 100 ms until stopped. */
function startMiner(client: ReturnType<typeof createPublicClient>): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await rpc(client, "evm_mine");
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Mines one block whose base fee is `baseFeeWei`: the latest block then asks exactly that. */
async function mineWithBaseFee(client: ReturnType<typeof createPublicClient>, baseFeeWei: bigint): Promise<void> {
  await rpc(client, "anvil_setNextBlockBaseFeePerGas", [`0x${baseFeeWei.toString(16)}`]);
  await rpc(client, "evm_mine");
}

interface Platform {
  server: RunningServer;
  call: ApiClient;
  stop: () => Promise<void>;
}

/** The platform on `dataDir` (kept between starts, so a test can restart it with other settings) against `rpcUrl`. */
async function startPlatform(dataDir: string, rpcUrl: string, env: Record<string, string> = {}, options: StartServerOptions = {}): Promise<Platform> {
  const server = await startServer(loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", RPC_URL: rpcUrl, ...env }), options);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
  };
  cleanups.push(stop);
  return { server, call: createApiClient(server.url), stop };
}

async function freshDataDir(label: string): Promise<string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `vermilion-fees-${label}-`));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  await seedMigratedPglite(path.join(dataDir, "db"));
  return dataDir;
}

/** The stored attempts of a job, read from the stopped platform's database. */
async function storedAttempts(dataDir: string, jobId: string): Promise<Array<{ tx_type: string; state: string; nonce: bigint; max_fee_per_gas: string }>> {
  const db = await openPglite({ dataDir: path.join(dataDir, "db") });
  try {
    const { rows } = await db.query<{ tx_type: string; state: string; nonce: bigint; max_fee_per_gas: string }>(
      "SELECT tx_type, state, nonce, max_fee_per_gas::text FROM chain_transactions WHERE job_id = $1 ORDER BY created_at",
      [jobId],
    );
    return rows;
  } finally {
    await db.close();
  }
}

interface JobView {
  state: string;
  transactions: string[];
  waiting: { code: string; details: Record<string, string>; since: string } | null;
}

/** Polls a job until it waits with `code`. */
async function waitUntilWaiting(call: ApiClient, key: string, jobId: string, code: string, timeoutMs = 30_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await call<JobView>("GET", `/api/jobs/${jobId}`, { key });
    if (job.body.waiting?.code === code) return job.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} does not wait on ${code}: ${JSON.stringify(job.body)}`);
    await sleep(100);
  }
}

async function submitMint(call: ApiClient, issuer: { apiKey: string; collection: Address }, editionId: bigint, to: Address, idempotencyKey: string): Promise<string> {
  const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
    key: issuer.apiKey,
    headers: { "idempotency-key": idempotencyKey },
    body: { to, quantity: 1 },
  });
  expect(accepted.status).toBe(202);
  return accepted.body.jobId;
}

/** The value of one labelled series in a Prometheus text exposition. */
function metricValue(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each([
  { mode: "legacy", chainArgs: ["--no-mining"], mining: "automine off, evm_mine driven by the test" },
  { mode: "eip1559", chainArgs: ["--no-mining"], mining: "automine off, evm_mine driven by the test" },
  { mode: "legacy", chainArgs: ["--block-time", "1"], mining: "a block every second" },
  { mode: "eip1559", chainArgs: ["--block-time", "1"], mining: "a block every second" },
] as const)("FEE_MODE=$mode, $mining", ({ mode, chainArgs }) => {
  test("mints through the API with that transaction type, and the holder's transfer of the token shows its new owner", async () => {
    const { anvil, client } = await chainFor(chainArgs);
    const miner = chainArgs[0] === "--no-mining" ? startMiner(client) : undefined;
    if (miner) cleanups.push(() => miner.stop());
    const dataDir = await freshDataDir(mode);
    const platform = await startPlatform(dataDir, anvil.rpcUrl, { FEE_MODE: mode });
    const issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!);
    const editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 10);
    const holder = privateKeyToAccount(generatePrivateKey());
    await rpc(client, "anvil_setBalance", [holder.address, "0xde0b6b3a7640000"]);

    const jobId = await submitMint(platform.call, issuer, editionId, holder.address, `fees-${mode}`);
    const job = await waitForJob<JobView>(platform.call, issuer.apiKey, jobId);
    expect(job.state).toBe("completed");
    const minted = await client.getTransaction({ hash: job.transactions[0] as Hex });
    expect(minted.type).toBe(mode);

    const newOwner = privateKeyToAccount(generatePrivateKey()).address;
    const tokenId = encodeTokenId(editionId, 1);
    const holderWallet = createWalletClient({ account: holder, chain: client.chain, transport: http(anvil.rpcUrl) });
    const transferHash = await holderWallet.writeContract({
      address: issuer.collection,
      abi: vermilionCollectionAbi,
      functionName: "transferFrom",
      args: [holder.address, newOwner, tokenId],
      type: mode,
    } as never);
    const transferReceipt = await client.waitForTransactionReceipt({ hash: transferHash });
    expect(transferReceipt.status).toBe("success");
    expect((await client.getTransaction({ hash: transferHash })).type).toBe(mode);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const token = await platform.call<{ token: { owner: string } }>("GET", `/api/tokens/${issuer.collection}/${tokenId}`);
      if (token.status === 200 && token.body.token.owner === newOwner.toLowerCase()) break;
      if (Date.now() > deadline) throw new Error(`the API does not show the new owner: ${JSON.stringify(token.body)}`);
      await sleep(100);
    }

    await platform.stop();
    expect((await storedAttempts(dataDir, jobId)).map((attempt) => [attempt.tx_type, attempt.state])).toEqual([[mode, "mined"]]);
  });
});

test("a fee cap below the market leaves the job waiting with FEE_CAP_BELOW_MARKET; the hourly budget holds it with GAS_BUDGET_HOUR_SPENT; lifting both completes it, once", async () => {
  const { anvil, client } = await chainFor([]);
  const dataDir = await freshDataDir("cap");
  const setup = await startPlatform(dataDir, anvil.rpcUrl);
  const issuer = await createIssuerWithCollection(setup.call, setup.server.firstAdminApiKey!);
  const editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 10);
  await setup.stop();
  const recipient = privateKeyToAccount(generatePrivateKey()).address;

  // The market: a base fee of 50 gwei. The cap: 10.
  await mineWithBaseFee(client, gwei("50"));
  const capped = await startPlatform(dataDir, anvil.rpcUrl, { FEE_MODE: "eip1559", MAX_FEE_PER_GAS_GWEI: "10" });
  const jobId = await submitMint(capped.call, issuer, editionId, recipient, "fees-cap");
  const waiting = await waitUntilWaiting(capped.call, issuer.apiKey, jobId, "FEE_CAP_BELOW_MARKET");
  expect(waiting.state).toBe("queued");
  expect(waiting.waiting!.details).toEqual({
    fee: "maxFeePerGas",
    marketWei: gwei("50").toString(),
    capWei: gwei("10").toString(),
    variable: "MAX_FEE_PER_GAS_GWEI",
  });
  const metrics = await fetch(`${capped.server.url}/metrics`).then((response) => response.text());
  expect(metricValue(metrics, 'vermilion_mint_jobs_waiting{code="FEE_CAP_BELOW_MARKET"}')).toBe(1);
  // A write answered in the request is refused with the same code (its collection row stays pending,
  // and the next starts must not stop on it while the policy still holds it back).
  const refused = await capped.call("POST", "/api/collections", { key: issuer.apiKey, body: { name: "Held back", symbol: "HB" } });
  expect(refused.status).toBe(503);
  expect(errorCode(refused)).toBe("FEE_CAP_BELOW_MARKET");
  await capped.stop();

  // The cap is lifted, but this hour's budget cannot pay for the mint.
  const budgeted = await startPlatform(dataDir, anvil.rpcUrl, { FEE_MODE: "eip1559", MAX_FEE_PER_GAS_GWEI: "100", GAS_BUDGET_PER_HOUR_ETH: "0.000001" });
  const held = await waitUntilWaiting(budgeted.call, issuer.apiKey, jobId, "GAS_BUDGET_HOUR_SPENT");
  expect(held.state).toBe("queued");
  expect(held.waiting!.details).toMatchObject({ budgetWei: "1000000000000", spentWei: "0" });
  expect(BigInt(held.waiting!.details.neededWei!)).toBeGreaterThan(10n ** 12n);
  const budgetMetrics = await fetch(`${budgeted.server.url}/metrics`).then((response) => response.text());
  expect(metricValue(budgetMetrics, 'vermilion_mint_jobs_waiting{code="GAS_BUDGET_HOUR_SPENT"}')).toBe(1);
  expect(metricValue(budgetMetrics, "vermilion_gas_budget_hour_charged_wei")).toBe(0);
  await budgeted.stop();

  const lifted = await startPlatform(dataDir, anvil.rpcUrl, { FEE_MODE: "eip1559", MAX_FEE_PER_GAS_GWEI: "100" });
  const job = await waitForJob<JobView>(lifted.call, issuer.apiKey, jobId);
  expect(job).toMatchObject({ state: "completed", waiting: null });
  const minted = await client.getTransaction({ hash: job.transactions[0] as Hex });
  expect(minted.type).toBe("eip1559");
  expect(minted.maxFeePerGas).toBeLessThanOrEqual(gwei("100"));
  expect(minted.maxFeePerGas).toBeGreaterThanOrEqual(gwei("50"));
  expect(await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [recipient] })).toBe(1n);
});

test("FEE_MODE=zero on a chain started with --base-fee 0 --gas-price 0: an issuer key holding nothing mints, and the holder, holding nothing, transfers", async () => {
  const { anvil, client } = await chainFor(["--base-fee", "0", "--gas-price", "0"]);
  const dataDir = await freshDataDir("zero");
  const platform = await startPlatform(dataDir, anvil.rpcUrl, { FEE_MODE: "zero" });
  const issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!);
  const editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 10);
  // The test's own setup gave the operating key gas: take it away again.
  const operating = await issuingAccount(client as never, issuer.collection);
  await rpc(client, "anvil_setBalance", [operating.address, "0x0"]);
  const holder = privateKeyToAccount(generatePrivateKey());

  const jobId = await submitMint(platform.call, issuer, editionId, holder.address, "fees-zero");
  const job = await waitForJob<JobView>(platform.call, issuer.apiKey, jobId);
  expect(job.state).toBe("completed");
  const minted = await client.getTransaction({ hash: job.transactions[0] as Hex });
  expect(minted.from.toLowerCase()).toBe(operating.address.toLowerCase());
  expect(minted).toMatchObject({ type: "legacy", gasPrice: 0n });
  expect(await client.getBalance({ address: operating.address })).toBe(0n);

  const newOwner = privateKeyToAccount(generatePrivateKey()).address;
  const holderWallet = createWalletClient({ account: holder, chain: client.chain, transport: http(anvil.rpcUrl) });
  const transferHash = await holderWallet.writeContract({
    address: issuer.collection,
    abi: vermilionCollectionAbi,
    functionName: "transferFrom",
    args: [holder.address, newOwner, encodeTokenId(editionId, 1)],
    type: "legacy",
    gasPrice: 0n,
  } as never);
  expect((await client.waitForTransactionReceipt({ hash: transferHash })).status).toBe("success");
  expect(await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [encodeTokenId(editionId, 1)] })).toBe(newOwner);
});

test("a stuck transaction is replaced within the cap and no further: the job shows FEE_BUMP_CAPPED, /metrics counts it, and a higher cap replaces and completes it, with one mint", async () => {
  const { anvil, client } = await chainFor(["--no-mining"]);
  const miner = startMiner(client);
  cleanups.push(() => miner.stop());
  const dataDir = await freshDataDir("stuck");
  const setup = await startPlatform(dataDir, anvil.rpcUrl);
  const issuer = await createIssuerWithCollection(setup.call, setup.server.firstAdminApiKey!);
  const editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 10);
  // The operating key holds gas already (no top-up to mine while the chain stands still).
  await issuingAccount(client as never, issuer.collection);
  await setup.stop();
  await miner.stop();
  const recipient = privateKeyToAccount(generatePrivateKey()).address;

  // From here on no block is mined until the test says so. The first attempt is signed at the cap:
  // 10 gwei (base fee 10 gwei × 1.2 + 1 gwei, lowered to 10), so no replacement can clear the node's 10%.
  await mineWithBaseFee(client, gwei("10"));
  const capped = await startPlatform(
    dataDir,
    anvil.rpcUrl,
    { FEE_MODE: "eip1559", MAX_FEE_PER_GAS_GWEI: "10", MAX_PRIORITY_FEE_PER_GAS_GWEI: "1" },
    { replaceStuckAfterMs: 300 },
  );
  const jobId = await submitMint(capped.call, issuer, editionId, recipient, "fees-stuck");
  const waiting = await waitUntilWaiting(capped.call, issuer.apiKey, jobId, "FEE_BUMP_CAPPED");
  expect(waiting.state).toBe("sending");
  expect(waiting.waiting!.details).toMatchObject({ paidWei: gwei("10").toString(), neededWei: gwei("11").toString(), capWei: gwei("10").toString() });
  const metrics = await fetch(`${capped.server.url}/metrics`).then((response) => response.text());
  expect(metricValue(metrics, 'vermilion_mint_jobs_waiting{code="FEE_BUMP_CAPPED"}')).toBe(1);
  // A few replacement terms pass: still the one transaction in the mempool.
  await sleep(1_000);
  const pool = (await rpc(client, "txpool_content")) as { pending: Record<string, Record<string, { maxFeePerGas: Hex }>> };
  expect(Object.values(pool.pending).flatMap((byNonce) => Object.values(byNonce)).map((tx) => BigInt(tx.maxFeePerGas))).toEqual([gwei("10")]);
  await capped.stop();

  // A higher cap: the next term replaces it (25% more), and once a block is mined the job completes.
  const lifted = await startPlatform(
    dataDir,
    anvil.rpcUrl,
    { FEE_MODE: "eip1559", MAX_FEE_PER_GAS_GWEI: "20", MAX_PRIORITY_FEE_PER_GAS_GWEI: "2" },
    { replaceStuckAfterMs: 300 },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const content = (await rpc(client, "txpool_content")) as { pending: Record<string, Record<string, { maxFeePerGas: Hex }>> };
    const fees = Object.values(content.pending).flatMap((byNonce) => Object.values(byNonce)).map((tx) => BigInt(tx.maxFeePerGas));
    if (fees.length === 1 && fees[0] === gwei("12.5")) break;
    if (Date.now() > deadline) throw new Error(`no replacement at 12.5 gwei in the mempool: ${fees.join(", ")}`);
    await sleep(100);
  }
  await rpc(client, "evm_mine");
  const job = await waitForJob<JobView>(lifted.call, issuer.apiKey, jobId);
  expect(job.state).toBe("completed");
  expect((await client.getTransaction({ hash: job.transactions[0] as Hex })).maxFeePerGas).toBe(gwei("12.5"));
  expect(await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [recipient] })).toBe(1n);
  await lifted.stop();

  const attempts = await storedAttempts(dataDir, jobId);
  expect(attempts.map((attempt) => [attempt.tx_type, attempt.state, attempt.max_fee_per_gas])).toEqual([
    ["eip1559", "replaced", gwei("10").toString()],
    ["eip1559", "mined", gwei("12.5").toString()],
  ]);
  expect(new Set(attempts.map((attempt) => attempt.nonce)).size).toBe(1);
});

describe("start-up refusals", () => {
  test("FEE_MODE=eip1559 on a chain without EIP-1559 (--hardfork berlin) is refused at start, naming FEE_MODE", async () => {
    const { anvil } = await chainFor(["--hardfork", "berlin"]);
    const dataDir = await freshDataDir("berlin");
    await expect(startPlatform(dataDir, anvil.rpcUrl, { FEE_MODE: "eip1559" })).rejects.toMatchObject({ code: "CONFIG_INVALID", problems: [{ field: "FEE_MODE" }] });
  });

  test("FEE_MODE=zero on a chain that charges a base fee is refused at start, naming FEE_MODE", async () => {
    const { anvil } = await chainFor([]);
    const dataDir = await freshDataDir("zero-refused");
    await expect(startPlatform(dataDir, anvil.rpcUrl, { FEE_MODE: "zero" })).rejects.toMatchObject({ code: "CONFIG_INVALID", problems: [{ field: "FEE_MODE" }] });
  });
});
