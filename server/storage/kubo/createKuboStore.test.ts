import type { AddressInfo } from "node:net";

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, test } from "vitest";
import { addFile, discardingBlockstore } from "vermilion-verify/shared/addFile.js";
import { isVermilionError } from "../../errors/VermilionError.js";
import { createKuboStore } from "./createKuboStore.js";

type FakeKubo = {
  apiUrl: string;
  server: Server;
  calls: Array<{ path: string; query: URLSearchParams }>;
  respondToAdd: (body: Buffer) => string;
  blocks: Map<string, Uint8Array>;
};

/**
 * A stand-in for Kubo's RPC API on loopback, answering the handful of endpoints the store uses, so
 * the store's refusals can be tested without a Kubo binary.
 */
async function startFakeKubo(respondToAdd: (body: Buffer) => string): Promise<FakeKubo> {
  const fake: Omit<FakeKubo, "apiUrl" | "server"> = { calls: [], respondToAdd, blocks: new Map() };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    fake.calls.push({ path: url.pathname, query: url.searchParams });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    };
    switch (url.pathname) {
      case "/api/v0/add":
        json(200, { Name: "blob", Hash: fake.respondToAdd(body), Size: "11" });
        return;
      case "/api/v0/pin/add":
        json(200, { Pins: [url.searchParams.get("arg")] });
        return;
      case "/api/v0/block/get": {
        const bytes = fake.blocks.get(url.searchParams.get("arg") ?? "");
        if (bytes === undefined) json(500, { Message: "block was not found locally (offline): ipld: could not find", Code: 0, Type: "error" });
        else res.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes);
        return;
      }
      case "/api/v0/block/stat":
        json(500, { Message: "block was not found locally (offline): ipld: could not find", Code: 0, Type: "error" });
        return;
      default:
        json(404, { Message: `unexpected ${url.pathname}`, Code: 0, Type: "error" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { ...fake, server, apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } as FakeKubo;
}

/** Kubo vector: "hello world" is bafkrei…36n5e under ipfs add --cid-version=1. */
const HELLO = new TextEncoder().encode("hello world");

describe("Kubo-backed content store", () => {
  const servers: Server[] = [];

  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("addFile refuses with CID_MISMATCH when Kubo's CID differs from the local import, and pins nothing", async () => {
    // What a Kubo configured with CIDv0 defaults would answer for "hello world".
    const fake = await startFakeKubo(() => "Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD");
    servers.push(fake.server);
    const store = createKuboStore({ apiUrl: fake.apiUrl });

    await expect(store.addFile({ content: HELLO, pin: { label: "media" } })).rejects.toSatisfy((error) => isVermilionError(error, "CID_MISMATCH"));
    expect(fake.calls.some((call) => call.path === "/api/v0/pin/add")).toBe(false);
  });

  test("addFile sends ipfs add --cid-version=1 settings unpinned, then pins the verified CID", async () => {
    const expected = await addFile({ blockstore: discardingBlockstore }, { content: HELLO });
    const fake = await startFakeKubo(() => expected.cid.toString());
    servers.push(fake.server);
    const store = createKuboStore({ apiUrl: fake.apiUrl });

    const added = await store.addFile({ content: HELLO, pin: { label: "edition:1:media" } });

    expect(added.cid.toString()).toBe("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
    const addCall = fake.calls.find((call) => call.path === "/api/v0/add")!;
    expect(Object.fromEntries(["cid-version", "raw-leaves", "chunker", "trickle", "pin"].map((key) => [key, addCall.query.get(key)]))).toEqual({
      "cid-version": "1",
      "raw-leaves": "true",
      chunker: "size-262144",
      trickle: "false",
      pin: "false",
    });
    const pinCall = fake.calls.find((call) => call.path === "/api/v0/pin/add")!;
    expect(pinCall.query.get("arg")).toBe(expected.cid.toString());
    expect(pinCall.query.get("name")).toBe("edition:1:media");
  });

  test("addFile with reopen streams both passes: the local CID from content, Kubo's upload from a second read", async () => {
    const expected = await addFile({ blockstore: discardingBlockstore }, { content: HELLO });
    let uploaded: Buffer = Buffer.alloc(0);
    const fake = await startFakeKubo((body) => {
      uploaded = body;
      return expected.cid.toString();
    });
    servers.push(fake.server);
    const store = createKuboStore({ apiUrl: fake.apiUrl });
    let reads = 0;
    async function* read(): AsyncIterable<Uint8Array> {
      reads++;
      yield HELLO.subarray(0, 5);
      yield HELLO.subarray(5);
    }

    const added = await store.addFile({ content: read(), reopen: read, pin: { label: "media" } });

    expect(added.cid.toString()).toBe(expected.cid.toString());
    expect(reads).toBe(2);
    expect(uploaded.includes(Buffer.from("hello world"))).toBe(true);
  });

  test("getBlock refuses bytes that do not hash to the CID with BLOCK_HASH_MISMATCH", async () => {
    const { cid } = await addFile({ blockstore: discardingBlockstore }, { content: HELLO });
    const fake = await startFakeKubo(() => "");
    servers.push(fake.server);
    fake.blocks.set(cid.toString(), new TextEncoder().encode("hello worle"));
    const store = createKuboStore({ apiUrl: fake.apiUrl });

    await expect(store.getBlock(cid)).rejects.toSatisfy((error) => isVermilionError(error, "BLOCK_HASH_MISMATCH"));
  });

  test("has is false and getBlock is CONTENT_NOT_FOUND for a block Kubo does not hold, asked offline", async () => {
    const { cid } = await addFile({ blockstore: discardingBlockstore }, { content: HELLO });
    const fake = await startFakeKubo(() => "");
    servers.push(fake.server);
    const store = createKuboStore({ apiUrl: fake.apiUrl });

    expect(await store.has(cid)).toBe(false);
    await expect(store.getBlock(cid)).rejects.toSatisfy((error) => isVermilionError(error, "CONTENT_NOT_FOUND"));
    expect(fake.calls.every((call) => call.query.get("offline") === "true")).toBe(true);
  });
});
