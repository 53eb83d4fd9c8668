import type { Address } from "viem";
import type { ApiClient } from "../support/httpClient.js";
import type { SpawnedServer } from "../support/spawnServer.js";

import { mkdtemp, readdir, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import { createPublicClient, http as viemHttp } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { addFile, discardingBlockstore } from "vermilion-verify/shared/addFile.js";
import { createApiClient } from "../support/httpClient.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { spawnServer } from "../support/spawnServer.js";
import {
  gifWithFrames,
  glbWithJson,
  jpegFrameHeader,
  mp4Declaring,
  pngDeclaring,
  sampleJpeg,
  samplePng,
  webpDeclaring,
} from "../storage/mediaSamples.js";

/**
 * Hostile uploads, over HTTP to a whole platform in its own process (`npm start`'s entry point on Anvil,
 * PGlite and the embedded store, so the probes time the server's event loop, not the test's): each is refused
 * with a 4xx naming the problem while a liveness probe keeps answering within 100 ms (the bound the
 * issue sets: the event loop is never held), and each leaves nothing behind: no temporary file, no
 * edition row, no edition on chain.
 */

const ADMIN_API_KEY = "upload-bombs-admin-key-0123456789";

let dataDir: string;
let spawned: SpawnedServer | undefined;
let platform: { server: { url: string; rpcUrl: string }; call: ApiClient };
let issuer: { apiKey: string; collection: Address };
let uploadDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-upload-bombs-"));
  // One upload at a time: the abandoned upload below shows the bound.
  spawned = await spawnServer({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", UPLOAD_CONCURRENCY: "1", ADMIN_API_KEY }, 120_000, {
    singleProcess: true,
  });
  let rpcUrl: string | undefined;
  for (let attempt = 0; attempt < 100 && rpcUrl === undefined; attempt++) {
    rpcUrl = /chain \d+ at (http:\/\/\S+);/.exec(spawned.output())?.[1];
    if (rpcUrl === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  platform = { server: { url: spawned.url, rpcUrl: rpcUrl! }, call: createApiClient(spawned.url) };
  issuer = await createIssuerWithCollection(platform.call, ADMIN_API_KEY);
  uploadDir = path.join(dataDir, "tmp", "uploads");
  // A warm connection for the probes: what they measure is the event loop, not a TCP handshake.
  await (await fetch(`${platform.server.url}/api/health/live`)).arrayBuffer();
}, 180_000);

afterAll(async () => {
  if (spawned) {
    spawned.child.kill("SIGTERM");
    await spawned.exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

const editionsUrl = () => `${platform.server.url}/api/collections/${issuer.collection}/editions`;

function editionForm(media: Buffer, poster?: Buffer): FormData {
  const form = new FormData();
  form.append("name", "Bomb");
  form.append("maxSupply", "1");
  form.append("media", new Blob([new Uint8Array(media)]), "media.bin");
  if (poster) form.append("poster", new Blob([new Uint8Array(poster)]), "poster.png");
  return form;
}

async function postEdition(form: FormData): Promise<{ status: number; body: { error?: { code: string; details: Record<string, unknown> } } }> {
  const response = await fetch(editionsUrl(), { method: "POST", headers: { authorization: `Bearer ${issuer.apiKey}` }, body: form });
  return { status: response.status, body: (await response.json()) as never };
}

/** Runs `work` while liveness probes go out one after another; returns its result and each probe's round trip. */
async function whileProbing<T>(work: () => Promise<T>): Promise<{ result: T; probesMs: number[] }> {
  const probesMs: number[] = [];
  let done = false;
  const probing = (async () => {
    do {
      const started = performance.now();
      const response = await fetch(`${platform.server.url}/api/health/live`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`liveness answered ${response.status}`);
      probesMs.push(performance.now() - started);
    } while (!done);
  })();
  const result = await work().finally(() => {
    done = true;
  });
  await probing;
  return { result, probesMs };
}

async function editionCounts(): Promise<{ rows: number; onChain: bigint }> {
  const listed = await platform.call<{ editions: unknown[] }>("GET", `/api/collections/${issuer.collection}/editions`);
  const client = createPublicClient({ transport: viemHttp(platform.server.rpcUrl) });
  const onChain = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "editionCount" });
  return { rows: listed.body.editions.length, onChain };
}

/** Polls (a wait, not a timed assertion) until the upload directory is empty; returns what is left. */
async function settledUploadDir(): Promise<string[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const left = await readdir(uploadDir);
    if (left.length === 0) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return readdir(uploadDir);
}

const deepJson = `{"asset":{"version":"2.0"},"extras":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;

type Bomb = { name: string; build: () => Buffer; code: string; declared?: string; needsPoster?: boolean };

const bombs: Bomb[] = [
  { name: "a PNG declaring 100000x100000 pixels", build: () => pngDeclaring(100_000, 100_000), code: "MEDIA_DECLARED_SIZE_TOO_LARGE", declared: "canvas" },
  { name: "a JPEG declaring 65535x65535 pixels", build: () => sampleJpeg(jpegFrameHeader(65_535, 65_535)), code: "MEDIA_DECLARED_SIZE_TOO_LARGE", declared: "frame" },
  {
    name: "the 35-byte GIF declaring 65535x65535 pixels",
    build: () => gifWithFrames(1, { widthPx: 65_535, heightPx: 65_535 }),
    code: "MEDIA_DECLARED_SIZE_TOO_LARGE",
    declared: "logical screen",
  },
  { name: "a WebP declaring a 16384x16384 canvas", build: () => webpDeclaring(16_384, 16_384), code: "MEDIA_DECLARED_SIZE_TOO_LARGE", declared: "canvas" },
  {
    name: "a decompression bomb: 50 KB of PNG that inflates to a 20000x20000 image",
    build: () => pngDeclaring(20_000, 20_000, { bitDepth: 1, colourType: 0, rows: Buffer.alloc(20_000 * (1 + 2_500)) }),
    code: "MEDIA_DECLARED_SIZE_TOO_LARGE",
    declared: "canvas",
  },
  { name: "a GIF with 10001 frames", build: () => gifWithFrames(10_001), code: "MEDIA_DECLARED_SIZE_TOO_LARGE", declared: "animation frames" },
  {
    name: "a GLB whose JSON chunk runs past its declared length",
    build: () => glbWithJson('{"asset":{"version":"2.0"}}', { totalBytes: 40, jsonBytes: 1024 }),
    code: "MEDIA_MALFORMED",
    needsPoster: true,
  },
  {
    name: "a GLB whose header declares 4 GB",
    build: () => glbWithJson('{"asset":{"version":"2.0"}}', { totalBytes: 0xfffffff0 }),
    code: "MEDIA_DECLARED_SIZE_TOO_LARGE",
    declared: "GLB header length",
    needsPoster: true,
  },
  {
    name: "a GLB whose JSON chunk declares 2 GB",
    build: () => glbWithJson('{"asset":{"version":"2.0"}}', { jsonBytes: 0x7ffffff0 }),
    code: "MEDIA_DECLARED_SIZE_TOO_LARGE",
    declared: "JSON chunk",
    needsPoster: true,
  },
  {
    name: "a GLB with JSON nested 100000 deep",
    build: () => glbWithJson(deepJson),
    code: "MEDIA_DECLARED_SIZE_TOO_LARGE",
    declared: "JSON nesting depth",
    needsPoster: true,
  },
  {
    name: "an MP4 whose mdat box claims 1 TB",
    build: () => mp4Declaring(1n << 40n),
    code: "MEDIA_DECLARED_SIZE_TOO_LARGE",
    declared: "box mdat",
    needsPoster: true,
  },
];

describe("upload bombs", () => {
  test.each(bombs)("$name is refused with $code while liveness answers within 100 ms, leaving nothing behind", async ({ build, code, declared, needsPoster }) => {
    const media = build();
    const before = await editionCounts();

    const { result, probesMs } = await whileProbing(() => postEdition(editionForm(media, needsPoster ? samplePng(8, 8) : undefined)));

    expect(result.status, JSON.stringify(result.body)).toBe(422);
    expect(result.body.error?.code).toBe(code);
    if (declared) expect(String(result.body.error?.details.declared)).toContain(declared);
    expect(probesMs.length).toBeGreaterThan(0);
    expect(Math.max(...probesMs)).toBeLessThan(100);
    expect(await readdir(uploadDir)).toEqual([]);
    expect(await editionCounts()).toEqual(before);
    // Nothing reached the store either: the gateway does not have the bytes.
    const { cid } = await addFile({ blockstore: discardingBlockstore }, { content: media });
    expect((await fetch(`${platform.server.url}/ipfs/${cid.toString()}`)).status).toBe(404);
  });

  test("a refused text field after the file writes nothing (fields are checked before anything is stored)", async () => {
    const before = await editionCounts();
    const form = new FormData();
    form.append("media", new Blob([new Uint8Array(samplePng(8, 8))]), "media.png");
    form.append("name", "Late fields");
    form.append("maxSupply", "0");

    const response = await postEdition(form);

    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.maxSupply" } });
    expect(await readdir(uploadDir)).toEqual([]);
    expect(await editionCounts()).toEqual(before);
  });

  test("a file field sent twice is refused and neither copy stays behind", async () => {
    const before = await editionCounts();
    const form = new FormData();
    form.append("name", "Twice");
    form.append("maxSupply", "1");
    form.append("media", new Blob([new Uint8Array(samplePng(8, 8))]), "one.png");
    form.append("media", new Blob([new Uint8Array(samplePng(9, 9))]), "two.png");

    const response = await postEdition(form);

    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.media" } });
    expect(await settledUploadDir()).toEqual([]);
    expect(await editionCounts()).toEqual(before);
  });

  test("a body declaring more than any upload may carry is refused with PAYLOAD_TOO_LARGE before it is read", async () => {
    const { result, probesMs } = await whileProbing(
      () =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const request = http.request(editionsUrl(), {
            method: "POST",
            headers: {
              authorization: `Bearer ${issuer.apiKey}`,
              "content-type": "multipart/form-data; boundary=x",
              "content-length": String(300 * 1024 * 1024),
            },
          });
          request.on("response", (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
              request.destroy();
              resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
            });
          });
          request.on("error", reject);
          request.write("--x\r\n");
        }),
    );

    expect(result.status).toBe(413);
    expect((JSON.parse(result.body) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(Math.max(...probesMs)).toBeLessThan(100);
    expect(await readdir(uploadDir)).toEqual([]);
  });

  test("an abandoned upload holds its slot (the next gets 503 UPLOADS_BUSY with Retry-After) and leaves nothing once the client goes", async () => {
    const before = await editionCounts();
    // A PNG whose IDAT promises 1 MB, of which 64 KB arrive before the client goes away.
    const png = samplePng(4, 4);
    const idatHeader = Buffer.alloc(8);
    idatHeader.writeUInt32BE(1_000_000, 0);
    idatHeader.write("IDAT", 4, "latin1");
    const partHead = '--x\r\nContent-Disposition: form-data; name="media"; filename="media.png"\r\nContent-Type: image/png\r\n\r\n';
    const request = http.request(editionsUrl(), {
      method: "POST",
      headers: { authorization: `Bearer ${issuer.apiKey}`, "content-type": "multipart/form-data; boundary=x", "content-length": "2000000" },
    });
    request.on("error", () => undefined);
    request.write(Buffer.concat([Buffer.from(partHead), png.subarray(0, 33), idatHeader, Buffer.alloc(64 * 1024, 0x55)]));
    // The upload is streaming to disk: its temporary file exists (polled, not timed).
    for (let attempt = 0; attempt < 100 && (await readdir(uploadDir)).length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await readdir(uploadDir)).toHaveLength(1);

    const busy = await fetch(editionsUrl(), { method: "POST", headers: { authorization: `Bearer ${issuer.apiKey}` }, body: editionForm(samplePng()) });
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(((await busy.json()) as { error: { code: string } }).error.code).toBe("UPLOADS_BUSY");

    const { probesMs } = await whileProbing(async () => {
      request.destroy();
      return settledUploadDir();
    });
    expect(await settledUploadDir()).toEqual([]);
    expect(Math.max(...probesMs)).toBeLessThan(100);
    expect(await editionCounts()).toEqual(before);
    // The slot is free again: the next upload is read (and refused for what it is, not for being busy).
    const next = await postEdition(editionForm(pngDeclaring(100_000, 100_000)));
    expect(next.body.error?.code).toBe("MEDIA_DECLARED_SIZE_TOO_LARGE");
  });
});
