import type { ContentStore } from "../contentStore.js";

import { randomBytes } from "node:crypto";
import dns from "node:dns";
import { Socket } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { UnixFS } from "ipfs-unixfs";
import * as dagPb from "@ipld/dag-pb";
import { isVermilionError } from "../../errors/VermilionError.js";
import { createEmbeddedStore } from "./createEmbeddedStore.js";

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

// Random rather than periodic bytes: a period dividing the chunk size would make chunks dedupe.
function randomContent(sizeBytes: number): Uint8Array {
  return randomBytes(sizeBytes);
}

describe("embedded content store", () => {
  let dataDir: string;
  let store: ContentStore;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "vermilion-store-"));
    store = await createEmbeddedStore({ dataDir });
  });

  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("addFile stores a multi-block file that reads back byte for byte, also as a range", async () => {
    const bytes = randomContent(600_000);

    const { cid, sizeBytes } = await store.addFile({ content: bytes });

    expect(sizeBytes).toBe(600_000n);
    expect(cid.version).toBe(1);
    expect(await store.has(cid)).toBe(true);
    expect(Buffer.compare(await collect(store.cat({ cid })), bytes)).toBe(0);
    const range = await collect(store.cat({ cid, offsetBytes: 262_000, lengthBytes: 1_000 }));
    expect(Buffer.compare(range, bytes.subarray(262_000, 263_000))).toBe(0);
  });

  test("cat of an unknown CID fails with CONTENT_NOT_FOUND", async () => {
    const { cid } = await createDetachedCid("never stored");

    await expect(collect(store.cat({ cid }))).rejects.toSatisfy((error) => isVermilionError(error, "CONTENT_NOT_FOUND"));
  });

  test("a pinned file and its pin survive a restart", async () => {
    const bytes = randomContent(300_000);
    const { cid } = await store.addFile({ content: once(bytes), pin: { label: "edition:1:media" } });
    await store.close();

    store = await createEmbeddedStore({ dataDir });

    const pins = await store.listPins();
    expect(pins.map((pin) => [pin.cid.toString(), pin.label])).toEqual([[cid.toString(), "edition:1:media"]]);
    expect(Buffer.compare(await collect(store.cat({ cid })), bytes)).toBe(0);
  });

  test("unpin removes the pin but not the blocks", async () => {
    const { cid } = await store.addFile({ content: randomContent(10), pin: { label: "x" } });

    await store.unpin(cid);

    expect(await store.listPins()).toEqual([]);
    expect(await store.has(cid)).toBe(true);
  });

  test("pinning a DAG with a missing block fails with PIN_INCOMPLETE", async () => {
    const { cid } = await store.addFile({ content: randomContent(600_000) });
    const root = dagPb.decode(await store.getBlock(cid));
    await (store as unknown as { blockstore: { delete(c: unknown): Promise<void> } }).blockstore.delete(root.Links[1]!.Hash);

    await expect(store.pin(cid, "broken")).rejects.toSatisfy((error) => isVermilionError(error, "PIN_INCOMPLETE"));
    expect(await store.listPins()).toEqual([]);
  });

  test("a directory past Kubo's 256 KiB estimate is HAMT-sharded and every name resolves", async () => {
    const entries = Array.from({ length: 6_000 }, (_, i) => ({ path: `${i + 1}.json`, content: new TextEncoder().encode(`{"serial":${i + 1}}`) }));

    // Unsynced: 6,000 fsyncs would dominate the test on a busy disk; syncing is exercised elsewhere here.
    await store.close();
    store = await createEmbeddedStore({ dataDir, syncWrites: false });
    const { cid } = await store.addDirectory({ entries });

    const rootNode = dagPb.decode(await store.getBlock(cid));
    expect(UnixFS.unmarshal(rootNode.Data!).type).toBe("hamt-sharded-directory");
    const file = await collect(store.cat({ cid, path: "4321.json" }));
    expect(new TextDecoder().decode(file)).toBe('{"serial":4321}');
    await expect(collect(store.cat({ cid, path: "6001.json" }))).rejects.toSatisfy((error) => isVermilionError(error, "PATH_NOT_FOUND"));
  });

  test("a small directory stays a plain UnixFS directory", async () => {
    const { cid } = await store.addDirectory({ entries: [{ path: "1.json", content: new TextEncoder().encode("{}") }] });

    expect(UnixFS.unmarshal(dagPb.decode(await store.getBlock(cid)).Data!).type).toBe("directory");
  });

  test("a CAR export imports into a fresh store with identical bytes", async () => {
    const bytes = randomContent(700_000);
    const media = await store.addFile({ content: bytes });
    const directory = await store.addDirectory({ entries: [{ path: "1.json", content: new TextEncoder().encode("{}") }] });
    const car = await collect(store.exportCar({ roots: [directory.cid, media.cid] }));
    const otherDir = await mkdtemp(join(tmpdir(), "vermilion-store-"));
    const other = await createEmbeddedStore({ dataDir: otherDir });

    try {
      const imported = await other.importCar({ car: once(car), pin: { label: "imported" } });

      expect(imported.roots.map(String)).toEqual([directory.cid.toString(), media.cid.toString()]);
      // directory + its one file, media root + three chunks
      expect(imported.blockCount).toBe(2 + 4);
      expect(Buffer.compare(await collect(other.cat({ cid: media.cid })), bytes)).toBe(0);
      expect((await other.listPins()).length).toBe(2);
    } finally {
      await other.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  test("importing a CAR with one flipped bit fails with BLOCK_HASH_MISMATCH and stores nothing", async () => {
    const media = await store.addFile({ content: randomContent(700_000) });
    const car = await collect(store.exportCar({ roots: [media.cid] }));
    car[car.byteLength - 1]! ^= 0x01;
    const otherDir = await mkdtemp(join(tmpdir(), "vermilion-store-"));
    const other = await createEmbeddedStore({ dataDir: otherDir });

    try {
      await expect(other.importCar({ car: once(car) })).rejects.toSatisfy((error) => isVermilionError(error, "BLOCK_HASH_MISMATCH"));
      expect(await other.has(media.cid)).toBe(false);
    } finally {
      await other.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});

async function createDetachedCid(text: string) {
  const { addFile, discardingBlockstore } = await import("vermilion-verify/shared/addFile.js");
  return addFile({ blockstore: discardingBlockstore }, { content: new TextEncoder().encode(text) });
}

describe("embedded content store and the network", () => {
  test("opening, adding, pinning, reading and exporting opens no socket and resolves no name", async () => {
    const connect = vi.spyOn(Socket.prototype, "connect");
    const lookup = vi.spyOn(dns, "lookup");
    const dataDir = await mkdtemp(join(tmpdir(), "vermilion-store-"));
    try {
      const store = await createEmbeddedStore({ dataDir, syncWrites: false });
      const { cid } = await store.addFile({ content: randomContent(300_000), pin: { label: "media" } });
      await collect(store.cat({ cid }));
      await collect(store.exportCar({ roots: [cid] }));
      await store.close();

      expect(connect).not.toHaveBeenCalled();
      expect(lookup).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
      lookup.mockRestore();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
