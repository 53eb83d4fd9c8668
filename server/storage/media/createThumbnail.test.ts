import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import encode, { init as initEncoder } from "@jsquash/webp/encode.js";
import { Jimp } from "jimp";
import { expect, test } from "vitest";

import { createThumbnail } from "./createThumbnail.js";
import { ensureImageDataGlobal } from "./decodeWebp.js";

/** A real WebP, encoded by libwebp (WASM) from a gradient. */
async function encodeWebp(widthPx: number, heightPx: number): Promise<Uint8Array> {
  ensureImageDataGlobal();
  const packageDir = path.dirname(createRequire(import.meta.url).resolve("@jsquash/webp/package.json"));
  await initEncoder({ wasmBinary: await readFile(path.join(packageDir, "codec", "enc", "webp_enc.wasm")) } as never);
  const rgba = new Uint8ClampedArray(widthPx * heightPx * 4);
  for (let pixel = 0; pixel < widthPx * heightPx; pixel += 1) {
    rgba.set([200, (pixel % widthPx) % 256, 40, 255], pixel * 4);
  }
  const ImageDataClass = (globalThis as unknown as { ImageData: new (data: Uint8ClampedArray, w: number, h: number) => unknown })
    .ImageData;
  return new Uint8Array(await encode(new ImageDataClass(rgba, widthPx, heightPx) as never, { quality: 80 }));
}

test("a WebP image gets a PNG thumbnail that fits the longest edge", async () => {
  const webp = await encodeWebp(800, 600);
  const thumbnail = await createThumbnail({ bytes: webp, mediaType: "webp", maxEdgePx: 256 });
  expect(thumbnail).toMatchObject({ created: true, mimeType: "image/png", widthPx: 256, heightPx: 192 });
  if (!thumbnail.created) throw new Error("no thumbnail");
  const decoded = await Jimp.fromBuffer(Buffer.from(thumbnail.bytes));
  expect([decoded.width, decoded.height]).toEqual([256, 192]);
});

test("bytes that only look like WebP are skipped as undecodable, never thrown", async () => {
  const fake = Buffer.concat([Buffer.from("RIFF"), Buffer.from([60, 0, 0, 0]), Buffer.from("WEBPVP8L"), Buffer.alloc(52, 0x2f)]);
  const thumbnail = await createThumbnail({ bytes: fake, mediaType: "webp" });
  expect(thumbnail.created).toBe(false);
});
