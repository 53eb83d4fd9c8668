import type { Address } from "viem";
import type { ListeningServer } from "../../test/support/listen.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";
import type { StartAnvilReturnType } from "../../test/support/startAnvil.js";
import type { VermilionDeployment } from "../../test/support/deployVermilion.js";

import { randomUUID } from "node:crypto";

import pino from "pino";
import { createPublicClient, http, parseEventLogs, zeroHash } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { deployVermilion } from "../../test/support/deployVermilion.js";
import { listen } from "../../test/support/listen.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { startAnvil } from "../../test/support/startAnvil.js";
import { createApp } from "../app.js";
import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { vermilionFactoryAbi } from "../chain/abis/VermilionFactory.js";
import { createIndexer } from "../indexer/createIndexer.js";
import { createProvenanceRouter } from "./provenanceRouter.js";

let anvil: StartAnvilReturnType;
let database: TestDatabase;
let chain: VermilionDeployment;
let server: ListeningServer;
let platformKey: Address;
let issuerAdmin: Address;
let operatingKey: Address;
let newAdmin: Address;
let collector: Address;
/** Made for an issuer the platform knows (a `collections` row names it). */
let known: Address;
/** Made elsewhere: the platform knows no name for it. */
let unnamed: Address;
/** Its admin handed the role to another address. */
let handedOver: Address;

async function get<Body>(path: string): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${server.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Body };
}

async function execute(collection: Address, from: Address, functionName: string, args: readonly unknown[]) {
  const hash = await chain.walletClient.writeContract({ address: collection, abi: vermilionCollectionAbi, functionName: functionName as "mint", args: args as never, account: from, chain: foundry });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
  return receipt;
}

async function createCollection(name: string, salt: number): Promise<Address> {
  const hash = await chain.walletClient.writeContract({
    address: chain.factoryAddress,
    abi: vermilionFactoryAbi,
    functionName: "createCollection",
    args: [{ name, symbol: "VRM", admin: issuerAdmin, issuer: operatingKey, contractURI: "" }, `0x${salt.toString(16).padStart(64, "0")}`],
    account: platformKey,
    chain: foundry,
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  const collection = parseEventLogs({ abi: vermilionFactoryAbi, eventName: "CollectionCreated", logs: receipt.logs })[0]!.args.collection;
  const created = await execute(collection, operatingKey, "createEdition", [
    {
      maxSupply: 5,
      metadataCid: "bafymetadata",
      mediaCid: "bafymedia",
      contentSha256: `0x${"ab".repeat(32)}`,
      royaltyReceiver: issuerAdmin,
      royaltyBps: 0,
      transferPolicy: 0,
      holdSeconds: 0,
    },
  ]);
  const editionId = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "EditionCreated", logs: created.logs })[0]!.args.editionId;
  await execute(collection, operatingKey, "mint", [editionId, collector, 1n]);
  return collection;
}

beforeAll(async () => {
  [anvil, database] = await Promise.all([startAnvil(), openTestDatabase()]);
  chain = await deployVermilion(anvil.rpcUrl);
  [platformKey, , , issuerAdmin, operatingKey, newAdmin, collector] = chain.accounts as [Address, Address, Address, Address, Address, Address, Address];
  known = await createCollection("Known", 1);
  unnamed = await createCollection("Unnamed", 2);
  handedOver = await createCollection("Handed over", 3);
  await execute(handedOver, issuerAdmin, "grantRole", [zeroHash, newAdmin]);
  await execute(handedOver, issuerAdmin, "renounceRole", [zeroHash, issuerAdmin]);

  const { rows } = await database.db.query<{ issuer_id: string }>("INSERT INTO issuers (name, address) VALUES ('Dunhuang Academy', $1) RETURNING issuer_id", [
    issuerAdmin.toLowerCase(),
  ]);
  await database.db.query(
    "INSERT INTO collections (collection_id, chain_id, issuer_id, address, salt, name, symbol, status) VALUES ($1, 31337, $2, $3, $4, 'Known', 'VRM', 'deployed')",
    [randomUUID(), rows[0]!.issuer_id, known.toLowerCase(), `0x${"01".padStart(64, "0")}`],
  );

  const indexer = createIndexer({
    db: database.db,
    publicClient: createPublicClient({ transport: http(anvil.rpcUrl) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    pollIntervalMs: 20,
    reorgWindowBlocks: 3,
  });
  await indexer.start();
  await indexer.waitUntilSynced(await chain.publicClient.getBlockNumber());
  await indexer.stop();

  const app = createApp({ logger: pino({ level: "silent" }), routers: [createProvenanceRouter({ db: database.db, chainId: 31337n })] });
  server = await listen(app);
});
afterAll(async () => {
  await server?.close();
  await anvil?.stop();
  await database?.dispose();
});

describe("issued by", () => {
  test("the token, provenance, edition-tokens and owner views name the issuer the platform knows, with its admin address", async () => {
    const expected = { name: "Dunhuang Academy", address: issuerAdmin.toLowerCase() };
    const token = await get<{ token: { issuer: unknown } }>(`/api/tokens/${known}/1000001`);
    expect(token.status).toBe(200);
    expect(token.body.token.issuer).toEqual(expected);
    const provenance = await get<{ issuer: unknown; history: Array<{ kind: string; mintOperator: string | null }> }>(`/api/tokens/${known}/1000001/provenance`);
    expect(provenance.body.issuer).toEqual(expected);
    // The mint still says which key sent it: the operating key, not the issuer's admin address.
    expect(provenance.body.history[0]).toMatchObject({ kind: "mint", mintOperator: operatingKey.toLowerCase() });
    const edition = await get<{ issuer: unknown }>(`/api/collections/${known}/editions/1/tokens`);
    expect(edition.body.issuer).toEqual(expected);
    const owned = await get<{ tokens: Array<{ collection: { address: string }; issuer: unknown }> }>(`/api/owners/${collector}/tokens`);
    expect(owned.body.tokens.find((entry) => entry.collection.address === known.toLowerCase())?.issuer).toEqual(expected);
  });

  test("a collection the platform did not make names its admin address alone", async () => {
    const token = await get<{ token: { issuer: unknown } }>(`/api/tokens/${unnamed}/1000001`);
    expect(token.body.token.issuer).toEqual({ name: null, address: issuerAdmin.toLowerCase() });
  });

  test("after the admin role moves, the views name the current admin, not the one named at creation", async () => {
    const expected = { name: null, address: newAdmin.toLowerCase() };
    expect((await get<{ token: { issuer: unknown } }>(`/api/tokens/${handedOver}/1000001`)).body.token.issuer).toEqual(expected);
    expect((await get<{ issuer: unknown }>(`/api/tokens/${handedOver}/1000001/provenance`)).body.issuer).toEqual(expected);
    expect((await get<{ issuer: unknown }>(`/api/collections/${handedOver}/editions/1/tokens`)).body.issuer).toEqual(expected);
  });
});
