import type { ListeningServer } from "../../test/support/listen.js";
import type { ContentStore } from "./contentStore.js";

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CarWriter } from "@ipld/car/writer";
import * as dagCbor from "@ipld/dag-cbor";
import express from "express";
import { CID } from "multiformats/cid";
import { sha256, sha512 } from "multiformats/hashes/sha2";
import * as raw from "multiformats/codecs/raw";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { listen } from "../../test/support/listen.js";
import { createErrorHandler } from "../http/errorResponse.js";
import { createEmbeddedStore } from "./embedded/createEmbeddedStore.js";
import { blockReader } from "./gateway/blockReader.js";
import { createGatewayRouter } from "./gateway/gatewayRouter.js";
import { createKuboStore } from "./kubo/createKuboStore.js";
import { walkDag } from "./walkDag.js";

/** A CARv1 holding the given blocks, rooted at the first. */
async function carOf(blocks: Array<{ cid: CID; bytes: Uint8Array }>): Promise<Uint8Array[]> {
  const { writer, out } = CarWriter.create([blocks[0]!.cid]);
  const chunks: Uint8Array[] = [];
  const collected = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for (const block of blocks) await writer.put(block);
  await writer.close();
  await collected;
  return chunks;
}

describe("content store refusals carry their own codes", () => {
  let dataDir: string;
  let store: ContentStore;
  let gateway: ListeningServer;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "vermilion-store-errors-"));
    store = await createEmbeddedStore({ dataDir, syncWrites: false });
    const app = express();
    app.use(createGatewayRouter({ store }));
    app.use(createErrorHandler(() => undefined));
    gateway = await listen(app);
  });

  afterAll(async () => {
    await gateway?.close();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("bytes that are not a CAR → CAR_INVALID, nothing stored", async () => {
    const before = (await store.listPins()).length;
    await expect(store.importCar({ car: [new TextEncoder().encode("this is not a CAR file")] })).rejects.toMatchObject({ code: "CAR_INVALID" });
    expect((await store.listPins()).length).toBe(before);
  });

  test("a block addressed by a hash we cannot verify (sha2-512) → UNSUPPORTED_HASH, and earlier blocks are removed", async () => {
    const fine = new TextEncoder().encode("verifiable");
    const fineCid = CID.createV1(raw.code, await sha256.digest(fine));
    const unverifiable = new TextEncoder().encode("only sha2-512");
    const unverifiableCid = CID.createV1(raw.code, await sha512.digest(unverifiable));
    const car = await carOf([
      { cid: fineCid, bytes: fine },
      { cid: unverifiableCid, bytes: unverifiable },
    ]);

    await expect(store.importCar({ car })).rejects.toMatchObject({ code: "UNSUPPORTED_HASH", details: { code: "0x13" } });
    expect(await store.has(fineCid)).toBe(false);
  });

  test("reading a directory as a file → NOT_A_FILE", async () => {
    const directory = await store.addDirectory({ entries: [{ path: "1.json", content: new TextEncoder().encode("{}") }] });
    const reading = async () => {
      for await (const _chunk of store.cat({ cid: directory.cid })) void _chunk;
    };
    await expect(reading()).rejects.toMatchObject({ code: "NOT_A_FILE" });
  });

  test("the gateway refuses a dag-cbor block as a file or a CAR with 400 CID_NOT_SERVED, and still serves it raw", async () => {
    const bytes = dagCbor.encode({ edition: 1, note: "not UnixFS" });
    const cid = CID.createV1(dagCbor.code, await sha256.digest(bytes));
    await store.importCar({ car: await carOf([{ cid, bytes }]) });

    for (const query of ["", "/note", "?format=car"]) {
      const refused = await fetch(`${gateway.baseUrl}/ipfs/${cid.toString()}${query}`);
      const body = (await refused.json()) as { error: { code: string; details: { field: string } } };
      expect(refused.status).toBe(400);
      expect(body.error).toMatchObject({ code: "CID_NOT_SERVED", details: { field: "params.cid" } });
    }

    // Walking it (what a CAR or a pin of it would do) is the store's own refusal.
    const walking = async () => {
      for await (const _block of walkDag(blockReader(store), { roots: [cid] })) void _block;
    };
    await expect(walking()).rejects.toMatchObject({ code: "UNSUPPORTED_CODEC" });

    const asRaw = await fetch(`${gateway.baseUrl}/ipfs/${cid.toString()}?format=raw`);
    expect(asRaw.status).toBe(200);
    expect(Buffer.compare(new Uint8Array(await asRaw.arrayBuffer()), bytes)).toBe(0);
  });

  test("a Kubo API URL where nothing listens → IPFS_NODE_UNAVAILABLE (retryable)", async () => {
    const kubo = createKuboStore({ apiUrl: "http://127.0.0.1:1" });
    try {
      await expect(kubo.addFile({ content: new TextEncoder().encode("hello") })).rejects.toMatchObject({
        code: "IPFS_NODE_UNAVAILABLE",
        retryable: true,
      });
    } finally {
      await kubo.close();
    }
  });
});
