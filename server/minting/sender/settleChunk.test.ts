import type { Address, Hex, TransactionReceipt } from "viem";
import type { ChainClients } from "../../chain/createChainClients.js";
import type { StartAnvilReturnType } from "../../chain/startAnvil.js";
import type { TestDatabase } from "../../../test/support/openTestDatabase.js";
import type { ChunkRow } from "./pickNextChunk.js";
import type { MintFaultPoint } from "./senderDeps.js";

import { randomUUID } from "node:crypto";

import pino from "pino";
import { afterAll, beforeAll, expect, test } from "vitest";

import { createIssuerCollectionOnChain } from "../../../test/support/createIssuerCollectionOnChain.js";
import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { createEditionOnChain } from "../../../test/support/platformFixture.js";
import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { createChainClients } from "../../chain/createChainClients.js";
import { ensureFactoryDeployed } from "../../deployment/ensureFactoryDeployed.js";
import { startAnvil } from "../../chain/startAnvil.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS, WELL_KNOWN_DEV_MNEMONIC } from "../../config/loadConfig.js";
import { createIssuer } from "../../issuers/createIssuer.js";
import { createIssuerKeyring } from "../../issuers/accounts/createIssuerKeyring.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { ISSUER_ROLE } from "../../../test/support/sendAsIssuerKey.js";
import { getMintJob } from "../getMintJob.js";
import { settleChunk } from "./settleChunk.js";

const to: Address = "0x000000000000000000000000000000000000bEEF";
let anvil: StartAnvilReturnType;
let testDatabase: TestDatabase;
let chain: ChainClients;
let issuerId: string;
let collection: Address;

beforeAll(async () => {
  anvil = await startAnvil();
  testDatabase = await openTestDatabase();
  chain = createChainClients({ rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
  const { db } = testDatabase;
  const { factoryAddress } = await ensureFactoryDeployed({ db, chain });
  ({ issuerId } = await createIssuer({ db, issuerKeyring: createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC }) }, { name: "Settling" }));
  // Made the old way (the platform's key holds both roles): these steps are tested with the platform's key as sender.
  collection = (await createIssuerCollectionOnChain({ db, rpcUrl: anvil.rpcUrl, chainId: chain.chainId, factoryAddress }, { issuerId, name: "S", issuerAccounts: false }))
    .collection;
});

afterAll(async () => {
  await testDatabase?.dispose();
  await anvil?.stop();
});

/** A job being sent, of one chunk per entry of `quantities`, each to `to` and already 'sent'. */
async function insertSendingJob(editionId: bigint, quantities: number[]): Promise<ChunkRow[]> {
  const { db } = testDatabase;
  const jobId = randomUUID();
  const total = quantities.reduce((sum, quantity) => sum + quantity, 0);
  await db.query(
    `INSERT INTO mint_jobs (job_id, chain_id, issuer_id, collection_address, edition_id, kind, idempotency_key, request_sha256, total_tokens, state)
     VALUES ($1, $2, $3, $4, $5, 'mint', $6, 'sha', $7, 'sending')`,
    [jobId, BigInt(chain.chainId), issuerId, collection, editionId, `key-${jobId}`, total],
  );
  const chunks: ChunkRow[] = [];
  for (const [index, quantity] of quantities.entries()) {
    await db.query("INSERT INTO mint_chunks (job_id, chunk_index, recipient, quantity, state) VALUES ($1, $2, $3, $4, 'sent')", [jobId, index, to, quantity]);
    chunks.push({ job_id: jobId, issuer_id: issuerId, chunk_index: index, collection_address: collection, edition_id: editionId, recipient: to, quantity, recipients: null, state: "sent" });
  }
  return chunks;
}

/** Sends the chunk's mint (with a fixed gas limit, so a call that reverts is mined anyway) and records it as a broadcast attempt. */
async function mineChunk(chunk: ChunkRow): Promise<TransactionReceipt> {
  const hash = await chain.walletClient.writeContract({
    address: collection,
    abi: vermilionCollectionAbi,
    functionName: "mint",
    args: [chunk.edition_id, to, BigInt(chunk.quantity)],
    gas: 500_000n,
    chain: chain.walletClient.chain,
    account: chain.walletClient.account,
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  await insertAttempt(chunk, hash, "broadcast");
  return receipt;
}

async function insertAttempt(chunk: ChunkRow, txHash: Hex, state: string): Promise<void> {
  await testDatabase.db.query(
    `INSERT INTO chain_transactions (tx_hash, chain_id, sender, nonce, job_id, chunk_index, raw_transaction, max_fee_per_gas, max_priority_fee_per_gas, state)
     VALUES ($1, $2, $3, 0, $4, $5, '0x00', 1, 1, $6)`,
    [txHash, BigInt(chain.chainId), chain.walletClient.account.address, chunk.job_id, chunk.chunk_index, state],
  );
}

async function attemptStates(jobId: string): Promise<Record<string, string>> {
  const { rows } = await testDatabase.db.query<{ tx_hash: string; state: string }>("SELECT tx_hash, state FROM chain_transactions WHERE job_id = $1", [jobId]);
  return Object.fromEntries(rows.map((row) => [row.tx_hash, row.state]));
}

function settleDeps(faults: MintFaultPoint[]) {
  return {
    db: testDatabase.db,
    chain,
    sender: chain.walletClient.account.address,
    logger: pino({ level: "silent" }),
    fault: (point: MintFaultPoint) => void faults.push(point),
    state: { running: true, deferredUntil: new Map<string, number>(), wakeUp: undefined, woken: false, inFlight: new Map(), lastConfirmCheckAt: 0, finalTxHashes: new Set<string>() },
    waitRetryMs: 1_000,
    confirmations: 0,
  };
}

test("a mined chunk is recorded with its first token id, the attempt it replaced is marked replaced, and the job completes with its last chunk", async () => {
  const editionId = await createEditionOnChain(anvil.rpcUrl, collection, 10);
  const [first, second] = await insertSendingJob(editionId, [2, 1]);
  const stuck: Hex = `0x${"ab".repeat(32)}`;
  await insertAttempt(first!, stuck, "broadcast");
  const firstReceipt = await mineChunk(first!);
  const faults: MintFaultPoint[] = [];

  await settleChunk(settleDeps(faults), { chunk: first!, receipt: firstReceipt });

  expect(await attemptStates(first!.job_id)).toEqual({ [stuck]: "replaced", [firstReceipt.transactionHash]: "mined" });
  expect(faults).toEqual(["after-receipt"]);
  const halfway = await getMintJob(testDatabase.db, first!.job_id);
  expect(halfway).toMatchObject({ state: "sending", progress: { done: 2, total: 3 }, transactions: [firstReceipt.transactionHash] });
  expect(halfway.tokenIds).toEqual([encodeTokenId(editionId, 1), encodeTokenId(editionId, 2)].map(String));

  const secondReceipt = await mineChunk(second!);
  await settleChunk(settleDeps(faults), { chunk: second!, receipt: secondReceipt });

  const done = await getMintJob(testDatabase.db, first!.job_id);
  expect(done).toMatchObject({ state: "completed", progress: { done: 3, total: 3 }, error: null });
  expect(done.transactions).toEqual([firstReceipt.transactionHash, secondReceipt.transactionHash]);
  expect(done.tokenIds).toEqual([1, 2, 3].map((serial) => String(encodeTokenId(editionId, serial))));
});

test("a reverted chunk fails its job with the code learned by replaying the call, and gives up the job's other chunks", async () => {
  const editionId = await createEditionOnChain(anvil.rpcUrl, collection, 1);
  const [tooMany, rest] = await insertSendingJob(editionId, [2, 1]);
  const receipt = await mineChunk(tooMany!);
  expect(receipt.status).toBe("reverted");
  const faults: MintFaultPoint[] = [];

  await settleChunk(settleDeps(faults), { chunk: tooMany!, receipt });

  expect(await attemptStates(tooMany!.job_id)).toEqual({ [receipt.transactionHash]: "mined" });
  expect(faults).toEqual([]);
  const failed = await getMintJob(testDatabase.db, tooMany!.job_id);
  expect(failed).toMatchObject({ state: "failed", progress: { done: 0, total: 3 }, tokenIds: [] });
  expect(failed.error).toEqual({ code: "EDITION_SOLD_OUT", details: { editionId: editionId.toString(), requested: "2", remaining: "1" } });
  const { rows } = await testDatabase.db.query<{ state: string }>("SELECT state FROM mint_chunks WHERE job_id = $1 ORDER BY chunk_index", [rest!.job_id]);
  expect(rows.map((row) => row.state)).toEqual(["failed", "failed"]);
});

test("a chunk reverted because the sending key lost the issuing role is pending again and its job waits with ISSUER_KEY_REVOKED, not failed", async () => {
  const editionId = await createEditionOnChain(anvil.rpcUrl, collection, 10);
  const [chunk] = await insertSendingJob(editionId, [2]);
  const setRole = async (functionName: "revokeRole" | "grantRole") =>
    chain.publicClient.waitForTransactionReceipt({
      hash: await chain.walletClient.writeContract({ address: collection, abi: vermilionCollectionAbi, functionName, args: [ISSUER_ROLE, chain.walletClient.account.address] }),
    });
  // This older collection's admin and issuer are both the platform's key: it revokes its own issuing role.
  await setRole("revokeRole");
  try {
    const receipt = await mineChunk(chunk!);
    expect(receipt.status).toBe("reverted");
    const deps = settleDeps([]);

    await settleChunk(deps, { chunk: chunk!, receipt });

    expect(await attemptStates(chunk!.job_id)).toEqual({ [receipt.transactionHash]: "mined" });
    const { rows } = await testDatabase.db.query<{ state: string }>("SELECT state FROM mint_chunks WHERE job_id = $1", [chunk!.job_id]);
    expect(rows.map((row) => row.state)).toEqual(["pending"]);
    const waiting = await getMintJob(testDatabase.db, chunk!.job_id);
    expect(waiting).toMatchObject({ state: "sending", error: null, waiting: { code: "ISSUER_KEY_REVOKED", details: { operatingKey: chain.walletClient.account.address } } });
    expect(deps.state.deferredUntil.has(chunk!.job_id)).toBe(true);
  } finally {
    await setRole("grantRole");
  }
});
