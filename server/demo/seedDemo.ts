import type { Address, Hex } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLock, WriteLocks } from "../cluster/createWriteLock.js";
import type { Database } from "../db/Database.js";
import type { GasFunder } from "../gas/createGasFunder.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import type { ContentStore } from "../storage/contentStore.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { payFeesForContractCall } from "../chain/fees/payFees.js";
import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { toStoredAddress } from "../chain/toStoredAddress.js";
import { createCollection } from "../collections/createCollection.js";
import { LOCAL_CHAIN_IDS, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";
import { createEdition } from "../editions/createEdition.js";
import { VermilionError } from "../errors/VermilionError.js";
import { createIssuer } from "../issuers/createIssuer.js";
import { getMintJob } from "../minting/getMintJob.js";
import { writeMediaFile } from "../storage/media/writeMediaFile.js";
import { submitMintJob } from "../minting/submitMintJob.js";
import { buildCubeGlb, drawSealPng } from "./demoAssets.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";

export interface SeedDemoDependencies {
  db: Database;
  chain: ChainClients;
  writeLock: WriteLock;
  /** The demo collection's editions are sent like any issuer's (`findCollectionSigner`). */
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
  gasFunder: GasFunder;
  store: ContentStore;
  factoryAddress: Address;
  /** Wakes the mint sender after the demo's jobs are accepted. */
  wakeMintSender: () => void;
}

export interface SeedDemoReturnType {
  issuerApiKey: string | undefined;
  collection: Address;
  created: boolean;
}

const DEMO_ISSUER = "Demo: Dunhuang Academy";

async function waitForJob(db: Database, jobId: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const job = await getMintJob(db, jobId);
    if (job.state === "completed") return;
    if (job.state === "failed") throw new VermilionError("INTERNAL", {}, { cause: new Error(`demo mint failed: ${job.error?.code}`) });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new VermilionError("INTERNAL", {}, { cause: new Error("demo mint did not finish") });
}

/**
 * Seeds a newcomer's platform, once: an issuer, a collection, an image edition and a 3D edition, mints
 * to two collectors (Anvil's dev accounts 1 and 2) and a transfer between them, so every page has
 * something to show. Local chains only: it signs transfers with public development keys.
 */
export async function seedDemo(deps: SeedDemoDependencies): Promise<SeedDemoReturnType> {
  const { db, chain } = deps;
  if (!LOCAL_CHAIN_IDS.has(chain.chainId)) {
    throw new VermilionError("CONFIG_INVALID", { field: "--demo", reason: "seeds only local development chains" });
  }
  const existing = await db.query<{ address: Address }>(
    `SELECT c.address FROM collections c JOIN issuers i USING (issuer_id) WHERE i.name = $1 AND c.chain_id = $2 LIMIT 1`,
    [DEMO_ISSUER, BigInt(chain.chainId)],
  );
  if (existing.rows[0]) return { issuerApiKey: undefined, collection: existing.rows[0].address, created: false };

  const issuer = await createIssuer({ db, issuerKeyring: deps.issuerKeyring }, { name: DEMO_ISSUER });
  const collection = await createCollection(
    { db, chain, factoryAddress: deps.factoryAddress, writeLock: deps.writeLock },
    { issuerId: issuer.issuerId, name: "Dunhuang Murals 敦煌壁画", symbol: "DHM", contractURI: "" },
  );
  const address = collection.address as Address;
  const editionDependencies = { db, chain, issuerKeyring: deps.issuerKeyring, writeLocks: deps.writeLocks, gasFunder: deps.gasFunder, store: deps.store };
  // The demo's media take the uploads' path: scanned into temporary files, then checked and stored.
  const tempDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-demo-"));
  const seal = await writeMediaFile({ tempDir }, { content: await drawSealPng() });
  const cube = await writeMediaFile({ tempDir }, { content: buildCubeGlb() });
  const imageEdition = await createEdition(editionDependencies, {
    collection: address,
    name: "Vermilion Seal",
    description: "A collector's seal in cinnabar red, stamped on the scroll of every hand it passes through.",
    maxSupply: 10_000,
    royaltyBps: 500,
    royaltyReceiver: issuer.address,
    transferPolicy: "free",
    holdSeconds: 0,
    attributes: [
      { trait_type: "Medium", value: "Cinnabar paste" },
      { trait_type: "Dynasty", value: "Tang" },
    ],
    license: "CC BY-NC 4.0",
    translations: { "zh-CN": { title: "朱砂印", description: "一方朱砂收藏印，印在它经过的每一位藏家的卷轴上。" } },
    media: seal,
  });
  const modelEdition = await createEdition(editionDependencies, {
    collection: address,
    name: "Cinnabar Cube",
    description: "A small 3D study in vermilion lacquer.",
    maxSupply: 500,
    royaltyBps: 250,
    royaltyReceiver: issuer.address,
    transferPolicy: "hold",
    holdSeconds: 7 * 24 * 3600,
    attributes: [{ trait_type: "Form", value: "Cube" }],
    license: "CC BY 4.0",
    translations: { "zh-CN": { title: "朱漆方块", description: "一件朱漆小型三维习作。" } },
    media: cube,
    poster: seal,
  });
  await rm(tempDir, { recursive: true, force: true });

  const collectorA = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[1]!);
  const collectorB = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[2]!);
  // The collectors enter the platform here, past the API's edge: stored lowercase like every address.
  const [a, b] = [toStoredAddress(collectorA.address), toStoredAddress(collectorB.address)];
  const jobs = [
    await submitMintJob({ db, chain, issuerKeyring: deps.issuerKeyring, writeLocks: deps.writeLocks }, {
      issuerId: issuer.issuerId,
      collection: address,
      editionId: BigInt(imageEdition.editionId),
      idempotencyKey: "demo-image-collector-a",
      request: { kind: "mint", to: a, quantity: 5 },
    }),
    await submitMintJob({ db, chain, issuerKeyring: deps.issuerKeyring, writeLocks: deps.writeLocks }, {
      issuerId: issuer.issuerId,
      collection: address,
      editionId: BigInt(imageEdition.editionId),
      idempotencyKey: "demo-image-airdrop",
      request: { kind: "airdrop", recipients: [b, a, b] },
    }),
    await submitMintJob({ db, chain, issuerKeyring: deps.issuerKeyring, writeLocks: deps.writeLocks }, {
      issuerId: issuer.issuerId,
      collection: address,
      editionId: BigInt(modelEdition.editionId),
      idempotencyKey: "demo-model-collector-b",
      request: { kind: "mint", to: b, quantity: 2 },
    }),
  ];
  deps.wakeMintSender();
  for (const job of jobs) await waitForJob(db, job.jobId);

  // Collector A passes serial 1 of the image edition to collector B: the first seal after the issuer's.
  const wallet = createWalletClient({ account: collectorA, chain: chain.walletClient.chain, transport: http(chain.rpcUrl) });
  const tokenId = encodeTokenId(BigInt(imageEdition.editionId), 1);
  const transfer = {
    account: collectorA,
    address,
    abi: vermilionCollectionAbi,
    functionName: "transferFrom",
    args: [collectorA.address, collectorB.address, tokenId],
  } as const;
  // Signed here, so priced by the deployment's fee policy like every transaction the platform signs.
  const hash: Hex = await wallet.writeContract({ ...transfer, ...(await payFeesForContractCall({ chain }, transfer)) } as never);
  await chain.publicClient.waitForTransactionReceipt({ hash });

  return { issuerApiKey: issuer.apiKey, collection: address, created: true };
}
