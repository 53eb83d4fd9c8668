/**
 * Single-mint latency against the chain's own inclusion time, on one running platform:
 * 1. the floor: the same `mint(editionId, to, 1)` call, signed beforehand with the collection's issuing
 *    key, sent with eth_sendRawTransaction and its receipt polled every FLOOR_POLL_MS;
 * 2. the platform: POST …/mint → the job completed (GET /api/jobs/:id), and → the token owned by its
 *    recipient in the API (GET /api/tokens/…, through the indexer);
 * each one at a time (sequential), then `inFlight` at once. On a chain that mines at intervals every
 * sequential sample starts at a random moment of the block interval (the same for floor and platform),
 * so that neither is timed from just after a block.
 */
import type { Address, Hex, LocalAccount, PublicClient } from "viem";
import type { ApiClient } from "../../test/support/httpClient.js";

import { createPublicClient, createWalletClient, encodeFunctionData, getAddress, http, keccak256, toHex } from "viem";
import { foundry } from "viem/chains";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { issuingAccount } from "../../test/support/issuingAccount.js";
import { quantile } from "../support/stats.js";

/** How often the floor and the platform samples look for their outcome. */
const FLOOR_POLL_MS = 2;
const JOB_POLL_MS = 10;
const TOKEN_POLL_MS = 20;

export interface LatencyFigures {
  samples: number;
  p50Ms: number;
  p95Ms: number;
}

export interface ChainLatency {
  /** "instant" (automine) or the block time in seconds. */
  blockTimeSeconds: number;
  inFlight: number;
  floorSequential: LatencyFigures;
  floorInFlight: LatencyFigures;
  jobSequential: LatencyFigures;
  jobInFlight: LatencyFigures;
  tokenSequential: LatencyFigures;
  tokenInFlight: LatencyFigures;
}

export interface MeasureMintLatencyParameters {
  serverUrl: string;
  rpcUrl: string;
  call: ApiClient;
  issuer: { apiKey: string; collection: Address };
  /** Creates an edition of `maxSupply` serials through the API and returns its id. */
  createEdition: (maxSupply: number, name: string) => Promise<bigint>;
  /** 0 for an instant-mining chain. */
  blockTimeSeconds: number;
  sequential: number;
  inFlight: number;
  /** Mints per in-flight run (spread over `inFlight` workers). */
  inFlightTotal: number;
  label: string;
  log: (message: string) => void;
}

function figures(samples: number[]): LatencyFigures {
  return { samples: samples.length, p50Ms: Math.round(quantile(samples, 0.5)), p95Ms: Math.round(quantile(samples, 0.95)) };
}

function recipient(label: string, index: number): Address {
  return getAddress(`0x${keccak256(toHex(`latency-${label}-${index}`)).slice(-40)}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `total` tasks, `workers` at a time. */
async function inParallel(total: number, workers: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

async function pollReceipt(client: PublicClient, hash: Hex): Promise<void> {
  for (;;) {
    const receipt = await client.getTransactionReceipt({ hash }).catch(() => undefined);
    if (receipt) {
      if (receipt.status !== "success") throw new Error(`floor mint ${hash} reverted`);
      return;
    }
    await sleep(FLOOR_POLL_MS);
  }
}

/** Pre-signs `count` mints of one token each with consecutive nonces from the key's pending count. */
async function presignMints(
  client: PublicClient,
  account: LocalAccount,
  rpcUrl: string,
  parameters: { collection: Address; editionId: bigint; label: string; count: number },
): Promise<Hex[]> {
  const chain = { ...foundry, id: await client.getChainId(), rpcUrls: { default: { http: [rpcUrl] } } };
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
  const data = (index: number) =>
    encodeFunctionData({
      abi: vermilionCollectionAbi,
      functionName: "mint",
      args: [parameters.editionId, recipient(parameters.label, index), 1n],
    });
  const gas = await client.estimateGas({ account: account.address, to: parameters.collection, data: data(0) });
  const fees = await client.estimateFeesPerGas();
  const nonce = await client.getTransactionCount({ address: account.address, blockTag: "pending" });
  const signed: Hex[] = [];
  for (let index = 0; index < parameters.count; index++) {
    signed.push(
      await wallet.signTransaction({
        account,
        chain,
        to: parameters.collection,
        data: data(index),
        nonce: nonce + index,
        gas: (gas * 12n) / 10n,
        // Room for the base fee to rise while the signed transactions wait their turn.
        maxFeePerGas: fees.maxFeePerGas * 2n,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        type: "eip1559",
      }),
    );
  }
  return signed;
}

/** Floor and platform latency of single mints on the platform at `serverUrl`. */
export async function measureMintLatency(parameters: MeasureMintLatencyParameters): Promise<ChainLatency> {
  const { call, issuer, log, label } = parameters;
  const client = createPublicClient({ transport: http(parameters.rpcUrl) }) as PublicClient;
  const blockMs = parameters.blockTimeSeconds * 1000;
  const randomPhase = () => (blockMs > 0 ? sleep(Math.random() * blockMs) : Promise.resolve());
  const floorCount = parameters.sequential + parameters.inFlightTotal;
  const editionId = await parameters.createEdition(2 * floorCount, `Latency ${label}`);
  const account = await issuingAccount(client, issuer.collection);

  // 1. The floor, with the issuing key while the platform has nothing of its own to send.
  const signed = await presignMints(client, account, parameters.rpcUrl, { collection: issuer.collection, editionId, label: `${label}-floor`, count: floorCount });
  const floorSequential: number[] = [];
  for (let index = 0; index < parameters.sequential; index++) {
    await randomPhase();
    const sent = performance.now();
    const hash = await client.sendRawTransaction({ serializedTransaction: signed[index]! });
    await pollReceipt(client, hash);
    floorSequential.push(performance.now() - sent);
  }
  // In flight: nonces must reach the node in order, so each group is sent in nonce order at once.
  const floorInFlight: number[] = [];
  for (let start = parameters.sequential; start < floorCount; start += parameters.inFlight) {
    await randomPhase();
    const group = signed.slice(start, Math.min(start + parameters.inFlight, floorCount));
    const sent = performance.now();
    const hashes: Hex[] = [];
    for (const raw of group) hashes.push(await client.sendRawTransaction({ serializedTransaction: raw }));
    await Promise.all(hashes.map(async (hash) => (await pollReceipt(client, hash), floorInFlight.push(performance.now() - sent))));
  }
  log(`${label}: floor sequential p50 ${quantile(floorSequential, 0.5).toFixed(0)} ms, ${parameters.inFlight} in flight p50 ${quantile(floorInFlight, 0.5).toFixed(0)} ms`);

  // 2. The platform.
  const mintOne = async (index: number): Promise<{ jobMs: number; tokenMs: number }> => {
    const to = recipient(`${label}-platform`, index);
    const sent = performance.now();
    const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": `latency-${label}-${index}` },
      body: { to, quantity: 1 },
    });
    if (accepted.status !== 202) throw new Error(`mint: HTTP ${accepted.status} ${JSON.stringify(accepted.body)}`);
    let tokenId: string;
    for (;;) {
      const job = await call<{ state: string; tokenIds: string[]; error: unknown }>("GET", `/api/jobs/${accepted.body.jobId}`, { key: issuer.apiKey });
      if (job.body.state === "completed") {
        tokenId = job.body.tokenIds[0]!;
        break;
      }
      if (job.body.state === "failed") throw new Error(`latency mint failed: ${JSON.stringify(job.body.error)}`);
      await sleep(JOB_POLL_MS);
    }
    const jobMs = performance.now() - sent;
    for (;;) {
      const token = await call<{ token: { owner: string | null } }>("GET", `/api/tokens/${issuer.collection}/${tokenId}`);
      if (token.status === 200 && token.body.token.owner?.toLowerCase() === to.toLowerCase()) break;
      await sleep(TOKEN_POLL_MS);
    }
    const owner = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [BigInt(tokenId)] });
    if (owner !== to) throw new Error(`token ${tokenId} is owned by ${owner}, not ${to}`);
    return { jobMs, tokenMs: performance.now() - sent };
  };
  const jobSequential: number[] = [];
  const tokenSequential: number[] = [];
  for (let index = 0; index < parameters.sequential; index++) {
    await randomPhase();
    const { jobMs, tokenMs } = await mintOne(index);
    jobSequential.push(jobMs);
    tokenSequential.push(tokenMs);
  }
  const jobInFlight: number[] = [];
  const tokenInFlight: number[] = [];
  await inParallel(parameters.inFlightTotal, parameters.inFlight, async (offset) => {
    await randomPhase();
    const { jobMs, tokenMs } = await mintOne(parameters.sequential + offset);
    jobInFlight.push(jobMs);
    tokenInFlight.push(tokenMs);
  });
  log(
    `${label}: platform sequential job p50 ${quantile(jobSequential, 0.5).toFixed(0)} ms (token ${quantile(tokenSequential, 0.5).toFixed(0)}), ` +
      `${parameters.inFlight} in flight job p50 ${quantile(jobInFlight, 0.5).toFixed(0)} ms (token ${quantile(tokenInFlight, 0.5).toFixed(0)})`,
  );
  return {
    blockTimeSeconds: parameters.blockTimeSeconds,
    inFlight: parameters.inFlight,
    floorSequential: figures(floorSequential),
    floorInFlight: figures(floorInFlight),
    jobSequential: figures(jobSequential),
    jobInFlight: figures(jobInFlight),
    tokenSequential: figures(tokenSequential),
    tokenInFlight: figures(tokenInFlight),
  };
}
