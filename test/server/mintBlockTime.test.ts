import type { Address, Hex } from "viem";
import type { StartAnvilReturnType } from "../support/startAnvil.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { createEditionOnChain, createIssuerWithCollection } from "../support/platformFixture.js";
import { startAnvil } from "../support/startAnvil.js";
import { startTestPlatform } from "../support/startTestPlatform.js";
import { createTestChain } from "../support/txpool.js";

interface MintJob {
  state: string;
  progress: { done: number; total: number };
  sender: Address;
  transactions: Hex[];
  tokenIds: string[];
}

interface ProvenanceAnswer {
  history: { kind: string; confirmations: number; final: boolean }[];
  indexedBlock: { number: number; finalizedBlock: number };
}

interface Setup {
  platform: TestPlatform;
  issuer: { apiKey: string; collection: Address };
  editionId: bigint;
}

const CONFIRMATIONS = 3;

// A chain that mines a block every 2 seconds, as a real one does: nothing is mined on sending.
let anvil: StartAnvilReturnType;
let chain: ReturnType<typeof createTestChain>;

beforeAll(async () => {
  anvil = await startAnvil({ args: ["--block-time", "2"] });
  chain = createTestChain(anvil.rpcUrl);
});

afterAll(async () => {
  await anvil?.stop();
});

async function setUp(confirmations: number): Promise<Setup> {
  const platform = await startTestPlatform(`blocktime-${confirmations}`, { RPC_URL: anvil.rpcUrl, CONFIRMATIONS: String(confirmations) });
  const issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!);
  const editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 100);
  return { platform, issuer, editionId };
}

async function submitMint(setup: Setup, idempotencyKey: string, to: Address, quantity: number): Promise<string> {
  const accepted = await setup.platform.call<{ jobId: string }>("POST", `/api/collections/${setup.issuer.collection}/editions/${setup.editionId}/mint`, {
    key: setup.issuer.apiKey,
    headers: { "idempotency-key": idempotencyKey },
    body: { to, quantity },
  });
  expect(accepted.status).toBe(202);
  return accepted.body.jobId;
}

async function readJob(setup: Setup, jobId: string): Promise<MintJob> {
  return (await setup.platform.call<MintJob>("GET", `/api/jobs/${jobId}`, { key: setup.issuer.apiKey })).body;
}

/** Polls the job until `done` says so, checking `each` on every answer; returns the last. */
async function followJob(setup: Setup, jobId: string, done: (job: MintJob) => boolean, each: (job: MintJob) => Promise<void> = async () => {}) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await readJob(setup, jobId);
    await each(job);
    if (done(job)) return job;
    if (job.state === "failed") throw new Error(`job failed: ${JSON.stringify(job)}`);
    if (Date.now() > deadline) throw new Error(`job still ${job.state}: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls a token's provenance until its mint is final, checking on every answer that `final` follows CONFIRMATIONS. */
async function followProvenance(setup: Setup, tokenId: string, confirmations: number): Promise<ProvenanceAnswer[]> {
  const seen: ProvenanceAnswer[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await setup.platform.call<ProvenanceAnswer>("GET", `/api/tokens/${setup.issuer.collection}/${tokenId}/provenance`);
    if (answer.status === 200) {
      seen.push(answer.body);
      const [mint] = answer.body.history;
      expect(mint!.final).toBe(mint!.confirmations >= Math.max(confirmations, 1));
      expect(answer.body.indexedBlock.finalizedBlock).toBe(answer.body.indexedBlock.number - Math.max(confirmations, 1) + 1);
      if (mint!.final) return seen;
    }
    if (Date.now() > deadline) throw new Error(`token ${tokenId} not final: ${JSON.stringify(seen.at(-1))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function confirmationsOf(hash: Hex): Promise<bigint> {
  const receipt = await chain.client.getTransactionReceipt({ hash });
  return (await chain.client.getBlockNumber({ cacheTime: 0 })) - receipt.blockNumber + 1n;
}

describe(`CONFIRMATIONS=${CONFIRMATIONS} on a 2-second chain`, () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp(CONFIRMATIONS);
  }, 90_000);
  afterAll(async () => {
    await setup?.platform.stop();
  });

  test("a mint's job completes only once its block has CONFIRMATIONS confirmations, and the token turns final with it", async () => {
    const recipient = getAddress("0x000000000000000000000000000000000000b101");
    const jobId = await submitMint(setup, "block-time-1", recipient, 2);
    // Mined: the tokens are shown while the job is still sending (its block is not final yet).
    const mined = await followJob(setup, jobId, (seen) => seen.progress.done === 2);
    expect(mined.state).toBe("sending");
    expect(mined.tokenIds).toHaveLength(2);

    // The index shows the token at once, not final, and final once CONFIRMATIONS deep; the job completes likewise.
    const [answers, job] = await Promise.all([
      followProvenance(setup, mined.tokenIds[0]!, CONFIRMATIONS),
      followJob(
        setup,
        jobId,
        (seen) => seen.state === "completed",
        async (seen) => {
          // Completed is never said before the chain has the block CONFIRMATIONS deep.
          if (seen.state === "completed") expect(await confirmationsOf(seen.transactions[0]!)).toBeGreaterThanOrEqual(BigInt(CONFIRMATIONS));
        },
      ),
    ]);
    expect(job.tokenIds).toEqual(mined.tokenIds);
    expect(answers[0]!.history[0]!.final).toBe(false);
  });

  test("a reorg that removes a mint's block before it is final ends with the same transaction mined once", async () => {
    const recipient = getAddress("0x000000000000000000000000000000000000b102");
    const jobId = await submitMint(setup, "block-time-reorg", recipient, 3);
    const mined = await followJob(setup, jobId, (seen) => seen.progress.done === 3);
    expect(mined.state).toBe("sending");
    const [hash] = mined.transactions;
    const sent = await chain.client.getTransaction({ hash: hash! });
    const receipt = await chain.client.getTransactionReceipt({ hash: hash! });

    // The mint's block and any after it are replaced by empty ones: the tokens do not exist any more.
    const head = await chain.client.getBlockNumber({ cacheTime: 0 });
    await chain.request("anvil_reorg", [Number(head - receipt.blockNumber + 1n), []]);
    expect(await chain.client.readContract({ address: setup.issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [recipient] })).toBe(0n);

    const done = await followJob(setup, jobId, (seen) => seen.state === "completed");
    expect(done.transactions).toEqual([hash]);
    expect(done.tokenIds).toHaveLength(3);
    expect(await chain.client.readContract({ address: setup.issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [recipient] })).toBe(3n);
    for (const tokenId of done.tokenIds) {
      expect(await chain.client.readContract({ address: setup.issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [BigInt(tokenId)] })).toBe(recipient);
    }
    expect(BigInt(await chain.client.getTransactionCount({ address: sent.from, blockTag: "latest" }))).toBeGreaterThan(BigInt(sent.nonce));
    expect((await chain.client.getTransactionReceipt({ hash: hash! })).blockNumber).toBeGreaterThanOrEqual(receipt.blockNumber);

    // The index follows: the recipient holds the three tokens, no more, once final.
    const answers = await followProvenance(setup, done.tokenIds[0]!, CONFIRMATIONS);
    expect(answers.at(-1)!.history).toHaveLength(1);
    const owned = await setup.platform.call<{ tokens: { tokenId: string }[] }>("GET", `/api/owners/${recipient}/tokens`);
    expect(owned.body.tokens.map((token) => token.tokenId).sort()).toEqual([...done.tokenIds].sort());

    const metrics = await fetch(`${setup.platform.server.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/vermilion_mint_transactions_lost_total\{cause="reorged"\} [1-9]/);
  });
});

describe("CONFIRMATIONS=0 on a 2-second chain", () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp(0);
  }, 90_000);
  afterAll(async () => {
    await setup?.platform.stop();
  });

  test("a mint's job completes with its receipt and the token is final as soon as it is indexed", async () => {
    const recipient = getAddress("0x000000000000000000000000000000000000b103");
    const jobId = await submitMint(setup, "block-time-0", recipient, 1);
    const job = await followJob(setup, jobId, (seen) => seen.state === "completed");
    expect(job.tokenIds).toHaveLength(1);
    const answers = await followProvenance(setup, job.tokenIds[0]!, 0);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.history[0]!.final).toBe(true);
  });
});
