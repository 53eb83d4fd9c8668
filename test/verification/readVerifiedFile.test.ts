import type { CID } from "multiformats/cid";
import type { ContentSource } from "vermilion-verify/content/contentSource.js";

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createEmbeddedStore } from "../../server/storage/embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../../server/storage/metadata/buildEditionMetadata.js";
import { readVerifiedFile } from "vermilion-verify/content/readVerifiedFile.js";

type Store = Awaited<ReturnType<typeof createEmbeddedStore>>;

let dataDir: string;
let store: Store;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vermilion-read-verified-"));
  store = await createEmbeddedStore({ dataDir, syncWrites: false });
});
afterAll(async () => {
  await store?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The store's blocks as they are (the library may not import the platform's store adapter, server/audit). */
function storeSource(): ContentSource {
  return { description: "store", getBlock: (cid) => store.getBlock(cid) };
}

/** The store's blocks, except that `victim`'s bytes are swapped for others. */
function lyingSource(victim: (cid: CID) => boolean): ContentSource {
  return {
    description: "lying",
    getBlock: async (cid) => (victim(cid) ? new Uint8Array(randomBytes(64)) : store.getBlock(cid)),
  };
}

describe("readVerifiedFile", () => {
  test("reads a multi-block file, hashing every block, and recomputes the same CID", async () => {
    const bytes = randomBytes(700_000);
    const { cid } = await store.addFile({ content: bytes });
    const read = await readVerifiedFile(storeSource(), { rootCid: cid });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(Buffer.compare(Buffer.from(read.bytes), bytes)).toBe(0);
    expect(read.recomputedCid).toBe(cid.toString());
    // The root and its three 256 KiB leaves.
    expect(read.blocks).toHaveLength(4);
  });

  test("names the block whose bytes do not hash to its CID, deep inside a file", async () => {
    const { cid } = await store.addFile({ content: randomBytes(700_000) });
    const honest = await readVerifiedFile(storeSource(), { rootCid: cid });
    const leaf = honest.blocks[2]!;
    const read = await readVerifiedFile(lyingSource((candidate) => candidate.equals(leaf)), { rootCid: cid });
    expect(read).toMatchObject({ ok: false, kind: "cidMismatch", cid: leaf.toString() });
  });

  test("resolves <directory>/<serial>.json through verified directory blocks; a lying directory block is caught", async () => {
    const built = await buildEditionMetadata(
      { store },
      {
        edition: {
          collection: "0x00000000000000000000000000000000000000aa",
          editionId: "1",
          title: "Paths",
          description: "",
          maxSupply: 5,
          issuer: "0x00000000000000000000000000000000000000aa",
          license: "CC0-1.0",
          created: "2026-11-29T10:00:00Z",
          media: { cid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", sha256: "0".repeat(64), kind: "image" },
        },
      },
    );
    const read = await readVerifiedFile(storeSource(), { rootCid: built.metadataCid, path: "4.json" });
    expect(read.ok && JSON.parse(Buffer.from(read.bytes).toString("utf8")).name).toBe("Paths #4");
    const lying = await readVerifiedFile(lyingSource((candidate) => candidate.equals(built.metadataCid)), { rootCid: built.metadataCid, path: "4.json" });
    expect(lying).toMatchObject({ ok: false, kind: "cidMismatch", cid: built.metadataCid.toString() });
    const missing = await readVerifiedFile(storeSource(), { rootCid: built.metadataCid, path: "6.json" });
    expect(missing).toMatchObject({ ok: false, kind: "unavailable" });
  });
});
