import type { Address, Hash } from "viem";
import type { ListeningServer } from "../../test/support/listen.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";
import type { StartAnvilReturnType } from "../../test/support/startAnvil.js";
import type { VermilionDeployment } from "../../test/support/deployVermilion.js";
import type { GetTokenProvenanceReturnType } from "./getTokenProvenance.js";

import { JsonRpcProvider, id, toBeHex, zeroPadValue } from "ethers";
import pino from "pino";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { TransferPolicy, deployVermilion } from "../../test/support/deployVermilion.js";
import { listen } from "../../test/support/listen.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { startAnvil } from "../../test/support/startAnvil.js";
import { createApp } from "../app.js";
import { createIndexer } from "../indexer/createIndexer.js";
import { createProvenanceRouter } from "./provenanceRouter.js";

let anvil: StartAnvilReturnType;
let database: TestDatabase;
let chain: VermilionDeployment;
let server: ListeningServer;
let collection: Address;
let alice: Address;
let bob: Address;
let carol: Address;
let burnTx: Hash;
let heldRedeemTx: Hash;
/** A paused collection with a soulbound and a free token, both held by carol. */
let pausedCollection: Address;

async function get<Body = Record<string, unknown>>(path: string): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${server.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Body };
}

beforeAll(async () => {
  [anvil, database] = await Promise.all([startAnvil(), openTestDatabase()]);
  chain = await deployVermilion(anvil.rpcUrl);
  [, , alice, bob, carol] = chain.accounts as [Address, Address, Address, Address, Address];
  // First, so that the blocks after the burn below stay as the finality assertions expect them.
  pausedCollection = await chain.createCollection("Paused", 2);
  const soulbound = await chain.createEdition(pausedCollection, { maxSupply: 5, transferPolicy: TransferPolicy.Soulbound });
  const transferable = await chain.createEdition(pausedCollection, { maxSupply: 5 });
  await chain.mint(pausedCollection, soulbound, carol, 1);
  await chain.mint(pausedCollection, transferable, carol, 1);
  await chain.execute(pausedCollection, chain.accounts[0]!, "pause", []);
  collection = await chain.createCollection("Provenance");
  const free = await chain.createEdition(collection, { maxSupply: 10 });
  const held = await chain.createEdition(collection, { maxSupply: 2, transferPolicy: TransferPolicy.Hold, holdSeconds: 1_000_000 });
  await chain.mint(collection, free, alice, 5);
  await chain.transfer(collection, alice, bob, 1_000_002n);
  await chain.transfer(collection, bob, carol, 1_000_002n);
  await chain.transfer(collection, carol, alice, 1_000_002n);
  burnTx = await chain.burn(collection, alice, 1_000_002n, 3n);
  heldRedeemTx = await chain.redeemVoucher(collection, held, bob, 2, 1n);

  const indexer = createIndexer({
    db: database.db,
    publicClient: createPublicClient({ transport: http(anvil.rpcUrl) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    pollIntervalMs: 20,
    confirmations: 3,
    reorgWindowBlocks: 3,
  });
  await indexer.start();
  await indexer.waitUntilSynced(await chain.publicClient.getBlockNumber());
  await indexer.stop();

  const app = createApp({
    logger: pino({ level: "silent" }),
    routers: [createProvenanceRouter({ db: database.db, chainId: 31337n, ipfsGatewayUrl: "https://gateway.test" })],
  });
  server = await listen(app);
});
afterAll(async () => {
  await server?.close();
  await anvil?.stop();
  await database?.dispose();
});

describe("provenance API over HTTP", () => {
  test("GET /api/tokens/:address/:tokenId describes a held token with its edition, URIs and lock", async () => {
    const { status, body } = await get<{ token: Record<string, unknown>; indexedBlock: { number: number } }>(
      `/api/tokens/${collection}/2000001`,
    );
    expect(status).toBe(200);
    expect(body.token).toMatchObject({
      tokenId: "2000001",
      editionId: "2",
      serial: 1,
      label: "#1/2",
      owner: bob.toLowerCase(),
      burned: false,
      mintKind: "voucher",
      tokenUri: "ipfs://bafymetadata/1.json",
      metadataUrl: "https://gateway.test/ipfs/bafymetadata/1.json",
      media: { ipfs: "ipfs://bafymedia", gateway: "https://gateway.test/ipfs/bafymedia" },
      contentSha256: `0x${"ab".repeat(32)}`,
      transferPolicy: "hold",
      locked: true,
    });
    expect(body.indexedBlock.number).toBe(Number(await chain.publicClient.getBlockNumber()));
  });

  test("GET /api/tokens/:address/:tokenId tells a would-be sender what the chain will say: owner, lock per policy, chain id, pause", async () => {
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: heldRedeemTx });
    const acquiredAt = Number((await chain.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp);
    const held = await get<{ token: Record<string, unknown> }>(`/api/tokens/${collection}/2000001`);
    expect(held.body.token).toMatchObject({
      chainId: 31337,
      owner: bob.toLowerCase(),
      transferPolicy: "hold",
      holdSeconds: 1_000_000,
      locked: true,
      lockedUntil: acquiredAt + 1_000_000,
      collection: { address: collection.toLowerCase(), paused: false },
    });
    const free = await get<{ token: Record<string, unknown> }>(`/api/tokens/${collection}/1000001`);
    expect(free.body.token).toMatchObject({ transferPolicy: "free", locked: false, lockedUntil: null });

    const soulbound = await get<{ token: Record<string, unknown> }>(`/api/tokens/${pausedCollection}/1000001`);
    expect(soulbound.body.token).toMatchObject({
      owner: carol.toLowerCase(),
      transferPolicy: "soulbound",
      locked: true,
      lockedUntil: "never",
      collection: { address: pausedCollection.toLowerCase(), paused: true },
    });
    const paused = await get<{ token: Record<string, unknown> }>(`/api/tokens/${pausedCollection}/2000001`);
    expect(paused.body.token).toMatchObject({ transferPolicy: "free", locked: false, lockedUntil: null, collection: { paused: true } });
    // The owner page reads the same view per token.
    const owned = await get<{ tokens: Array<Record<string, unknown>> }>(`/api/owners/${carol}/tokens`);
    expect(owned.body.tokens.map((token) => [token.tokenId, token.lockedUntil, (token.collection as { paused: boolean }).paused])).toEqual(
      expect.arrayContaining([
        ["1000001", "never", true],
        ["2000001", null, true],
      ]),
    );
  });

  test("provenance equals the Transfer logs read independently with ethers, field for field", async () => {
    const { status, body } = await get<GetTokenProvenanceReturnType>(`/api/tokens/${collection}/1000002/provenance`);
    expect(status).toBe(200);

    const provider = new JsonRpcProvider(anvil.rpcUrl, undefined, { staticNetwork: true });
    const logs = await provider.getLogs({
      address: collection,
      topics: [id("Transfer(address,address,uint256)"), null, null, zeroPadValue(toBeHex(1_000_002n), 32)],
      fromBlock: 0,
      toBlock: "latest",
    });
    const expected = await Promise.all(
      logs.map(async (log) => ({
        from: `0x${log.topics[1]?.slice(26)}`,
        to: `0x${log.topics[2]?.slice(26)}`,
        txHash: log.transactionHash,
        txIndex: log.transactionIndex,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        logIndex: log.index,
        timestamp: (await provider.getBlock(log.blockHash))?.timestamp,
      })),
    );
    provider.destroy();
    const actual = body.history.map(({ from, to, txHash, txIndex, blockNumber, blockHash, logIndex, timestamp }) => ({
      from,
      to,
      txHash,
      txIndex,
      blockNumber,
      blockHash,
      logIndex,
      timestamp,
    }));
    expect(actual).toEqual(expected);
    expect(body.history.map((entry) => entry.kind)).toEqual(["mint", "transfer", "transfer", "transfer", "burn"]);
    // The voucher redemption came after the burn: the burn has 2 confirmations, short of CONFIRMATIONS=3.
    expect(body.history.at(-1)).toMatchObject({ burnReason: "3", txHash: burnTx, confirmations: 2, final: false });
    expect(body.history[0]).toMatchObject({ mintKind: "issuer", mintOperator: chain.accounts[1]?.toLowerCase(), final: true });
  });

  test("GET /api/owners/:owner/tokens pages through holdings with cursors", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const { status, body } = await get<{ tokens: Array<{ tokenId: string }>; nextCursor: string | null }>(
        `/api/owners/${alice}/tokens${query}`,
      );
      expect(status).toBe(200);
      seen.push(...body.tokens.map((token) => token.tokenId));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(["1000001", "1000003", "1000004", "1000005"]);
    expect(pages).toBe(2);
  });

  test("GET /api/collections/:address/editions/:editionId/tokens lists serials, owners, minted/max and sealed", async () => {
    const { status, body } = await get<{ edition: Record<string, unknown>; tokens: Array<Record<string, unknown>> }>(
      `/api/collections/${collection}/editions/2/tokens`,
    );
    expect(status).toBe(200);
    expect(body.edition).toMatchObject({ maxSupply: 2, minted: 2, burned: 0, sealed: true, closedEarly: false });
    expect(body.tokens).toEqual([
      { serial: 1, tokenId: "2000001", label: "#1/2", owner: bob.toLowerCase(), burned: false },
      { serial: 2, tokenId: "2000002", label: "#2/2", owner: bob.toLowerCase(), burned: false },
    ]);
  });

  test("GET /api/search finds tokens by tx hash, token id, serial and owner", async () => {
    const byTx = await get<{ interpretedAs: string; transfers: Array<{ kind: string; tokenId: string }> }>(`/api/search?q=${burnTx}`);
    expect(byTx.body).toMatchObject({ interpretedAs: "txHash", transfers: [{ kind: "burn", tokenId: "1000002" }] });
    const byTokenId = await get<{ interpretedAs: string; tokens: Array<{ tokenId: string }> }>("/api/search?q=2000002");
    expect(byTokenId.body.interpretedAs).toBe("tokenId");
    expect(byTokenId.body.tokens.map((token) => token.tokenId)).toEqual(["2000002"]);
    const bySerial = await get<{ tokens: Array<{ tokenId: string }> }>(`/api/search?q=${encodeURIComponent("#2/2")}`);
    expect(bySerial.body.tokens.map((token) => token.tokenId)).toEqual(["2000002"]);
    const byOwner = await get<{ tokens: Array<{ tokenId: string }> }>(`/api/search?q=${bob}`);
    expect(byOwner.body.tokens.map((token) => token.tokenId)).toEqual(["2000001", "2000002"]);
  });

  test("malformed input is a 400 naming the field; unknown tokens and editions are 404", async () => {
    const badLimit = await get<{ error: { code: string; details: { field: string } } }>(`/api/owners/${alice}/tokens?limit=0`);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "query.limit" } });
    const badAddress = await get<{ error: { code: string; details: { field: string } } }>("/api/tokens/0x1234/1000001");
    expect(badAddress.status).toBe(400);
    expect(badAddress.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "params.address" } });
    const badTokenId = await get<{ error: { code: string; details: { field: string } } }>(`/api/tokens/${collection}/abc/provenance`);
    expect(badTokenId.status).toBe(400);
    expect(badTokenId.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "params.tokenId" } });
    const badQuery = await get<{ error: { code: string; details: { field: string } } }>("/api/search?q=hello");
    expect(badQuery.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "q" } });
    const unknownToken = await get<{ error: { code: string } }>(`/api/tokens/${collection}/9000001`);
    expect(unknownToken.status).toBe(404);
    expect(unknownToken.body.error.code).toBe("TOKEN_NOT_FOUND");
    const unknownEdition = await get<{ error: { code: string } }>(`/api/collections/${collection}/editions/77/tokens`);
    expect(unknownEdition.status).toBe(404);
    expect(unknownEdition.body.error.code).toBe("EDITION_NOT_FOUND");
  });
});
