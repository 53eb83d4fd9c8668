import type { ContentStore } from "../contentStore.js";
import type { ErrorCode } from "../../errors/errorCatalogue.js";
import type { MediaType } from "./mediaTypes.js";

import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { jpegFrameHeader, sampleGif, sampleGlb, sampleJpeg, sampleMp3, sampleMp4, samplePng, sampleWebm, sampleWebp } from "../../../test/storage/mediaSamples.js";
import { addFile, discardingBlockstore } from "vermilion-verify/shared/addFile.js";
import { createEmbeddedStore } from "../embedded/createEmbeddedStore.js";
import { isVermilionError } from "../../errors/VermilionError.js";
import { addMedia } from "./addMedia.js";

function* inSlices(bytes: Uint8Array, sliceBytes: number): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += sliceBytes) yield bytes.subarray(offset, offset + sliceBytes);
}

describe("addMedia", () => {
  let dataDir: string;
  let store: ContentStore;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "vermilion-media-"));
    store = await createEmbeddedStore({ dataDir });
  });

  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function blockFileCount(): Promise<number> {
    const entries = await readdir(join(dataDir, "blocks"), { recursive: true });
    return entries.filter((name) => name.endsWith(".data")).length;
  }

  async function expectRejected(content: Uint8Array | Iterable<Uint8Array>, code: ErrorCode, sizeLimits = {}) {
    const error = await addMedia({ store }, { content, sizeLimits, pin: { label: "media" } }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isVermilionError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
    expect((error as { status: number }).status).toBeGreaterThanOrEqual(400);
    expect((error as { status: number }).status).toBeLessThan(500);
    expect(await blockFileCount()).toBe(0);
    expect(await store.listPins()).toEqual([]);
  }

  const accepted: Array<[MediaType, () => Buffer, string]> = [
    ["png", () => samplePng(), "image/png"],
    ["jpeg", sampleJpeg, "image/jpeg"],
    ["gif", () => sampleGif(), "image/gif"],
    ["webp", sampleWebp, "image/webp"],
    ["mp4", sampleMp4, "video/mp4"],
    ["webm", sampleWebm, "video/webm"],
    ["mp3", sampleMp3, "audio/mpeg"],
    ["glb", () => sampleGlb(), "model/gltf-binary"],
  ];

  test.each(accepted)("accepts %s streamed in 7-byte slices, with its SHA-256 and ipfs add CID", async (mediaType, build, mimeType) => {
    const bytes = build();

    const added = await addMedia({ store }, { content: inSlices(bytes, 7), pin: { label: "media" } });

    expect(added.mediaType).toBe(mediaType);
    expect(added.mimeType).toBe(mimeType);
    expect(added.sizeBytes).toBe(bytes.byteLength);
    expect(added.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    const expected = await addFile({ blockstore: discardingBlockstore }, { content: bytes });
    expect(added.cid.toString()).toBe(expected.cid.toString());
    expect(await store.has(added.cid)).toBe(true);
  });

  test("rejects zero bytes with MEDIA_EMPTY", async () => {
    await expectRejected(new Uint8Array(0), "MEDIA_EMPTY");
  });

  test("rejects an SVG with script with MEDIA_TYPE_UNSUPPORTED", async () => {
    const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await expectRejected(svg, "MEDIA_TYPE_UNSUPPORTED");
  });

  test("rejects HTML that claims to be an image (type lie) with MEDIA_TYPE_UNSUPPORTED", async () => {
    await expectRejected(Buffer.from("<!DOCTYPE html><html><body><script>fetch('/steal')</script></body></html>"), "MEDIA_TYPE_UNSUPPORTED");
  });

  test("rejects a PNG with an HTML page appended after IEND (polyglot) with MEDIA_MALFORMED", async () => {
    await expectRejected(Buffer.concat([samplePng(), Buffer.from("<html><script>alert(1)</script></html>")]), "MEDIA_MALFORMED");
  });

  test("rejects a GIF carrying a script in a comment block (polyglot) with MEDIA_ACTIVE_CONTENT", async () => {
    await expectRejected(sampleGif("<script>alert(1)</script>"), "MEDIA_ACTIVE_CONTENT");
  });

  test("rejects a truncated GLB with MEDIA_TRUNCATED", async () => {
    const glb = sampleGlb(4096);
    await expectRejected(inSlices(glb.subarray(0, glb.byteLength - 100), 1000), "MEDIA_TRUNCATED");
  });

  test("rejects a GLB whose first chunk is not JSON with MEDIA_MALFORMED", async () => {
    const glb = sampleGlb();
    glb.writeUInt32LE(0x004e4942, 16);
    await expectRejected(glb, "MEDIA_MALFORMED");
  });

  test.each([
    ["png", () => samplePng(8, 8)],
    ["mp4", sampleMp4],
    ["webm", sampleWebm],
    ["webp", sampleWebp],
    ["jpeg", sampleJpeg],
  ] as const)("rejects a truncated %s with MEDIA_TRUNCATED", async (_type, build) => {
    const bytes = build();
    await expectRejected(bytes.subarray(0, bytes.byteLength - 5), "MEDIA_TRUNCATED");
  });

  /** Yields `bytes` in 100-byte slices, counting how many were read. */
  function countedSlices(bytes: Uint8Array): { slices: Iterable<Uint8Array>; read: () => number } {
    let read = 0;
    const slices = (function* () {
      for (const slice of inSlices(bytes, 100)) {
        read++;
        yield slice;
      }
    })();
    return { slices, read: () => read };
  }

  test("rejects a file over its type's limit with MEDIA_TOO_LARGE, before reading it all", async () => {
    const bytes = sampleJpeg(jpegFrameHeader(1, 1), 4000);
    const counted = countedSlices(bytes);

    await expectRejected(counted.slices, "MEDIA_TOO_LARGE", { jpeg: 1000 });
    expect(counted.read()).toBeLessThan(bytes.byteLength / 100);
  });

  test("rejects a box declaring an end past the type's limit with MEDIA_DECLARED_SIZE_TOO_LARGE, at that box's header", async () => {
    const bytes = sampleMp4();
    const counted = countedSlices(bytes);

    await expectRejected(counted.slices, "MEDIA_DECLARED_SIZE_TOO_LARGE", { mp4: 1000 });
    expect(counted.read()).toBeLessThan(1000 / 100);
  });
});

describe("addMedia thumbnails", () => {
  let dataDir: string;
  let store: ContentStore;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "vermilion-thumb-"));
    store = await createEmbeddedStore({ dataDir, syncWrites: false });
  });

  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function decoded(cid: Parameters<ContentStore["cat"]>[0]["cid"]) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of store.cat({ cid })) chunks.push(chunk);
    return sharp(Buffer.concat(chunks)).metadata();
  }

  test("a PNG gets a stored, pinned PNG thumbnail scaled to the max edge, aspect kept", async () => {
    const added = await addMedia({ store }, { content: samplePng(64, 48), thumbnail: { maxEdgePx: 16 }, pin: { label: "edition:1:media" } });

    expect(added.thumbnail).toMatchObject({ mimeType: "image/png", widthPx: 16, heightPx: 12 });
    const image = await decoded(added.thumbnail!.cid);
    expect([image.format, image.width, image.height]).toEqual(["png", 16, 12]);
    expect((await store.listPins()).map((pin) => pin.label).sort()).toEqual(["edition:1:media", "edition:1:media:thumbnail"]);
  });

  test("a JPEG gets a JPEG thumbnail", async () => {
    const jpeg = await sharp({ create: { width: 40, height: 80, channels: 3, background: "#cc2200" } }).jpeg().toBuffer();

    const added = await addMedia({ store }, { content: jpeg, thumbnail: { maxEdgePx: 20 } });

    expect(added.mediaType).toBe("jpeg");
    expect(added.thumbnail).toMatchObject({ mimeType: "image/jpeg", widthPx: 10, heightPx: 20 });
  });

  test("an image declaring more pixels than allowed is stored without a thumbnail (decompression-bomb guard)", async () => {
    const added = await addMedia({ store }, { content: samplePng(64, 48), thumbnail: { maxSourceMegapixels: 0.001 } });

    expect(added.thumbnail).toBeUndefined();
    expect(added.thumbnailSkipped).toBe("TOO_MANY_PIXELS");
    expect(await store.has(added.cid)).toBe(true);
  });

  test("video gets no thumbnail attempt", async () => {
    const added = await addMedia({ store }, { content: sampleMp4() });

    expect(added.thumbnail).toBeUndefined();
    expect(added.thumbnailSkipped).toBeUndefined();
  });
});
