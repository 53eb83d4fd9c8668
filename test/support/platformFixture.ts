import type { Address } from "viem";
import type { ApiClient } from "./httpClient.js";

import { createPublicClient, createWalletClient, http, parseEventLogs } from "viem";
import { foundry } from "viem/chains";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { issuingAccount } from "./issuingAccount.js";

/** Registers an issuer and deploys a collection for it through the API. */
export async function createIssuerWithCollection(
  call: ApiClient,
  adminKey: string,
  name = "Dunhuang Academy",
): Promise<{ issuerId: string; apiKey: string; collection: Address }> {
  const issuer = await call<{ issuerId: string; apiKey: string }>("POST", "/api/issuers", { key: adminKey, body: { name } });
  if (issuer.status !== 201) throw new Error(`issuer creation failed: ${JSON.stringify(issuer.body)}`);
  const collection = await call<{ address: Address }>("POST", "/api/collections", {
    key: issuer.body.apiKey,
    body: { name: `${name} Collection`, symbol: "VRM" },
  });
  if (collection.status !== 201) throw new Error(`collection creation failed: ${JSON.stringify(collection.body)}`);
  return { ...issuer.body, collection: collection.body.address };
}

/** The parameters of a test's edition made straight on chain: fixed CIDs and digest, free transfers. */
export function testEditionParams(maxSupply: number, royaltyReceiver: Address) {
  return {
    maxSupply,
    metadataCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
    mediaCid: "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
    contentSha256: "0xb94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
    royaltyReceiver,
    royaltyBps: 500,
    transferPolicy: 0,
    holdSeconds: 0,
  } as const;
}

/**
 * Creates an edition directly on-chain with the collection's issuing key (`issuingAccount`), as a test's
 * setup that needs no media. Returns the edition id.
 */
export async function createEditionOnChain(rpcUrl: string, collection: Address, maxSupply: number): Promise<bigint> {
  const chain = { ...foundry, rpcUrls: { default: { http: [rpcUrl] } } };
  const client = createPublicClient({ chain, transport: http(rpcUrl) });
  // The collection's issuing key: its operating key, or the platform's for a collection made the old way.
  const account = await issuingAccount(client as never, collection);
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
  const hash = await wallet.writeContract({
    address: collection,
    abi: vermilionCollectionAbi,
    functionName: "createEdition",
    args: [testEditionParams(maxSupply, account.address)],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "EditionCreated", logs: receipt.logs });
  if (!created) throw new Error("no EditionCreated event");
  return created.args.editionId;
}

/** Polls a job until it is completed or failed. */
export async function waitForJob<Job extends { state: string }>(
  call: ApiClient,
  key: string,
  jobId: string,
  timeoutMs = 45_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await call<Job>("GET", `/api/jobs/${jobId}`, { key });
    if (job.status !== 200) throw new Error(`job ${jobId}: ${JSON.stringify(job.body)}`);
    if (job.body.state === "completed" || job.body.state === "failed") return job.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.body.state} after ${timeoutMs} ms: ${JSON.stringify(job.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
