import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { CID } from "multiformats/cid";
import type { ContentStore } from "../contentStore.js";
import type { GatewayStore } from "./blockReader.js";

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CarBlockIterator } from "@ipld/car/iterator";
import express from "express";
import { exporter } from "ipfs-unixfs-exporter";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { samplePng } from "../../../test/storage/mediaSamples.js";
import { verifyBlock } from "../carArchive.js";
import { createEmbeddedStore } from "../embedded/createEmbeddedStore.js";
import { createErrorHandler } from "../../http/errorResponse.js";
import { createGatewayRouter } from "./gatewayRouter.js";

async function startGateway(store: GatewayStore): Promise<{ server: Server; baseUrl: string }> {
  const app = express();
  app.use(createGatewayRouter({ store }));
  app.use(createErrorHandler(() => undefined));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stopGateway(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function readCar(bytes: Uint8Array): Promise<{ roots: CID[]; blocks: Map<string, Uint8Array>; order: string[] }> {
  const reader = await CarBlockIterator.fromBytes(bytes);
  const blocks = new Map<string, Uint8Array>();
  const order: string[] = [];
  for await (const block of reader) {
    await verifyBlock(block.cid, block.bytes);
    blocks.set(block.cid.toString(), block.bytes);
    order.push(block.cid.toString());
  }
  return { roots: await reader.getRoots(), blocks, order };
}

describe("gateway router over HTTP", () => {
  let dataDir: string;
  let store: ContentStore;
  let server: Server;
  let baseUrl: string;
  const bigFile = randomBytes(700_000);
  let bigCid: CID;
  let pngCid: CID;
  let htmlCid: CID;
  let directoryCid: CID;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "vermilion-gateway-"));
    store = await createEmbeddedStore({ dataDir, syncWrites: false });
    bigCid = (await store.addFile({ content: bigFile })).cid;
    pngCid = (await store.addFile({ content: samplePng() })).cid;
    htmlCid = (await store.addFile({ content: Buffer.from("<html><script>alert(document.cookie)</script></html>") })).cid;
    const entries = Array.from({ length: 6_000 }, (_, i) => ({ path: `${i + 1}.json`, content: Buffer.from(JSON.stringify({ serial: i + 1 })) }));
    directoryCid = (await store.addDirectory({ entries })).cid;
    ({ server, baseUrl } = await startGateway(store));
  });

  afterAll(async () => {
    await stopGateway(server);
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("?format=raw returns the block with immutable, sniff-proof headers", async () => {
    const response = await fetch(`${baseUrl}/ipfs/${bigCid.toString()}?format=raw`);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.ipld.raw");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect(response.headers.get("etag")).toBe(`"${bigCid.toString()}.raw"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.compare(bytes, await store.getBlock(bigCid))).toBe(0);
    await verifyBlock(bigCid, bytes);
  });

  test("Accept: application/vnd.ipld.raw also selects the raw block", async () => {
    const response = await fetch(`${baseUrl}/ipfs/${pngCid.toString()}`, { headers: { accept: "application/vnd.ipld.raw" } });

    expect(response.headers.get("content-type")).toBe("application/vnd.ipld.raw");
    expect(Buffer.compare(new Uint8Array(await response.arrayBuffer()), samplePng())).toBe(0);
  });

  test("?format=car streams every block of the DAG, root first, each verifying against its CID", async () => {
    const response = await fetch(`${baseUrl}/ipfs/${bigCid.toString()}?format=car`);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.ipld.car; version=1; order=dfs; dups=n");
    const car = await readCar(new Uint8Array(await response.arrayBuffer()));
    expect(car.roots.map(String)).toEqual([bigCid.toString()]);
    expect(car.order[0]).toBe(bigCid.toString());
    expect(car.blocks.size).toBe(4);
  });

  test("a CAR for a path inside a HAMT directory holds what a client needs to verify the walk", async () => {
    const response = await fetch(`${baseUrl}/ipfs/${directoryCid.toString()}/4321.json`, { headers: { accept: "application/vnd.ipld.car" } });

    const car = await readCar(new Uint8Array(await response.arrayBuffer()));
    expect(car.roots.map(String)).toEqual([directoryCid.toString()]);
    const fromCar = { get: async function* (cid: CID) { const bytes = car.blocks.get(cid.toString()); if (bytes === undefined) throw new Error(`missing ${cid}`); yield bytes; } };
    const entry = await exporter(`${directoryCid.toString()}/4321.json`, fromCar);
    const chunks: Uint8Array[] = [];
    if (entry.type !== "file" && entry.type !== "raw") throw new Error(`unexpected ${entry.type}`);
    for await (const chunk of entry.content()) chunks.push(chunk);
    expect(JSON.parse(Buffer.concat(chunks).toString("utf8"))).toEqual({ serial: 4321 });
  });

  test("an unknown CID is 404 CONTENT_NOT_FOUND as JSON", async () => {
    const unknown = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    for (const query of ["", "?format=raw", "?format=car"]) {
      const response = await fetch(`${baseUrl}/ipfs/${unknown}${query}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("CONTENT_NOT_FOUND");
    }
  });

  test("any origin may read blocks and errors (CORS *), and a Range preflight is answered", async () => {
    const block = await fetch(`${baseUrl}/ipfs/${pngCid.toString()}?format=raw`, { headers: { origin: "https://reader.example" } });
    expect(block.headers.get("access-control-allow-origin")).toBe("*");
    expect(block.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const missing = await fetch(`${baseUrl}/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy?format=raw`, { headers: { origin: "https://reader.example" } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("access-control-allow-origin")).toBe("*");

    const preflight = await fetch(`${baseUrl}/ipfs/${pngCid.toString()}`, {
      method: "OPTIONS",
      headers: { origin: "https://reader.example", "access-control-request-method": "GET", "access-control-request-headers": "range" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Range");
  });

  test("a malformed CID is 400 INVALID_CID", async () => {
    const response = await fetch(`${baseUrl}/ipfs/not-a-cid`);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("INVALID_CID");
  });

  test("a missing name under a known directory is 404 PATH_NOT_FOUND", async () => {
    const response = await fetch(`${baseUrl}/ipfs/${directoryCid.toString()}/99999.json`);

    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("PATH_NOT_FOUND");
  });

  test("deserialized responses carry a fixed type: PNG by magic bytes, metadata as JSON, anything else opaque", async () => {
    const png = await fetch(`${baseUrl}/ipfs/${pngCid.toString()}`);
    const json = await fetch(`${baseUrl}/ipfs/${directoryCid.toString()}/12.json`);
    const html = await fetch(`${baseUrl}/ipfs/${htmlCid.toString()}`);

    expect(png.headers.get("content-type")).toBe("image/png");
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await json.json()).toEqual({ serial: 12 });
    expect(html.headers.get("content-type")).toBe("application/octet-stream");
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
    expect(html.headers.get("content-security-policy")).toContain("sandbox");
  });

  test("Range requests return 206 with exactly the requested bytes, across block boundaries", async () => {
    const response = await fetch(`${baseUrl}/ipfs/${bigCid.toString()}`, { headers: { range: "bytes=262000-262299" } });

    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 262000-262299/${bigFile.byteLength}`);
    expect(Buffer.compare(new Uint8Array(await response.arrayBuffer()), bigFile.subarray(262_000, 262_300))).toBe(0);
    const suffix = await fetch(`${baseUrl}/ipfs/${bigCid.toString()}`, { headers: { range: "bytes=-10" } });
    expect(Buffer.compare(new Uint8Array(await suffix.arrayBuffer()), bigFile.subarray(bigFile.byteLength - 10))).toBe(0);
  });

  test("an unsatisfiable Range is 416 INVALID_RANGE", async () => {
    const response = await fetch(`${baseUrl}/ipfs/${pngCid.toString()}`, { headers: { range: "bytes=999999-" } });

    expect(response.status).toBe(416);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("INVALID_RANGE");
  });

  test("HEAD gives the headers of GET and no body", async () => {
    const response = await fetch(`${baseUrl}/ipfs/${bigCid.toString()}`, { method: "HEAD" });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(bigFile.byteLength));
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  test("a directory is listed as JSON, never as an HTML index", async () => {
    const response = await fetch(`${baseUrl}/ipfs/${directoryCid.toString()}`);

    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const listing = (await response.json()) as { entries: Array<{ name: string }> };
    expect(listing.entries.length).toBe(6_000);
  });

  test("If-None-Match with the ETag is 304", async () => {
    const first = await fetch(`${baseUrl}/ipfs/${pngCid.toString()}`);
    await first.arrayBuffer();

    const second = await fetch(`${baseUrl}/ipfs/${pngCid.toString()}`, { headers: { "if-none-match": first.headers.get("etag")! } });

    expect(second.status).toBe(304);
  });
});
