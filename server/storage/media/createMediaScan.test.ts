import type { ErrorCode } from "../../errors/errorCatalogue.js";
import type { MediaType } from "./mediaTypes.js";

import sharp from "sharp";
import { describe, expect, test } from "vitest";

import { gifWithFrames, jpegFrameHeader, pngDeclaring, sampleJpeg, webpDeclaring } from "../../../test/storage/mediaSamples.js";
import { isVermilionError } from "../../errors/VermilionError.js";
import { createMediaScan } from "./createMediaScan.js";

function scan(bytes: Uint8Array, chunkBytes = 4096) {
  const mediaScan = createMediaScan();
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) mediaScan.update(bytes.subarray(offset, offset + chunkBytes));
  return mediaScan.finish();
}

function refusal(bytes: Uint8Array): unknown {
  try {
    scan(bytes);
    return undefined;
  } catch (error) {
    return error;
  }
}

function expectRefused(bytes: Uint8Array, code: ErrorCode, declared?: string): void {
  const error = refusal(bytes);
  expect(isVermilionError(error, code), String(error)).toBe(true);
  if (declared) expect(String((error as { details: { declared: string } }).details.declared)).toContain(declared);
}

/** A 48×32 gradient, three frames when animated. */
function frames(pages: number): { raw: Buffer; width: number; height: number } {
  const width = 48;
  const height = 32;
  const raw = Buffer.alloc(width * height * pages * 4);
  for (let pixel = 0; pixel < width * height * pages; pixel++) raw.set([pixel % 256, (pixel >> 3) % 256, 90, 255], pixel * 4);
  return { raw, width, height };
}

describe("real encoder output passes the structure walks", () => {
  const still = () => sharp(frames(1).raw, { raw: { width: 48, height: 32, channels: 4 } });
  const animated = () => sharp(frames(3).raw, { raw: { width: 48, height: 96, channels: 4, pageHeight: 32 } });
  const encoded: Array<[string, MediaType, () => Promise<Buffer>]> = [
    ["PNG", "png", () => still().png().toBuffer()],
    ["baseline JPEG", "jpeg", () => still().jpeg().toBuffer()],
    ["progressive JPEG", "jpeg", () => still().jpeg({ progressive: true }).toBuffer()],
    ["JPEG with EXIF", "jpeg", () => still().jpeg().withMetadata().toBuffer()],
    ["GIF", "gif", () => still().gif().toBuffer()],
    ["animated GIF", "gif", () => animated().gif({ loop: 0, delay: [100, 100, 100] }).toBuffer()],
    ["lossy WebP", "webp", () => still().webp({ quality: 80 }).toBuffer()],
    ["lossless WebP", "webp", () => still().webp({ lossless: true }).toBuffer()],
    ["WebP with alpha (VP8X)", "webp", () => still().ensureAlpha(0.5).webp({ quality: 80, alphaQuality: 50 }).toBuffer()],
    ["animated WebP", "webp", () => animated().webp({ loop: 0, delay: [100, 100, 100] }).toBuffer()],
  ];

  test.each(encoded)("%s", async (_name, mediaType, encode) => {
    const bytes = await encode();
    expect(scan(bytes, 7).mediaType).toBe(mediaType);
  });
});

describe("declared sizes are refused as their header streams past", () => {
  test("a lossless WebP declaring 16384×16384", () => {
    const vp8l = Buffer.alloc(8 + 5);
    vp8l.write("VP8L", 0, "latin1");
    vp8l.writeUInt32LE(5, 4);
    vp8l[8] = 0x2f;
    vp8l.writeUInt32LE(0x3fff | (0x3fff << 14), 9);
    const riff = Buffer.alloc(12);
    riff.write("RIFF", 0, "latin1");
    riff.writeUInt32LE(4 + vp8l.byteLength + 1, 4);
    riff.write("WEBP", 8, "latin1");
    expectRefused(Buffer.concat([riff, vp8l, Buffer.alloc(1)]), "MEDIA_DECLARED_SIZE_TOO_LARGE", "canvas of 16384x16384");
  });

  test("a WebP whose VP8X chunk declares a canvas over the limit", () => {
    expectRefused(webpDeclaring(16_384, 16_384), "MEDIA_DECLARED_SIZE_TOO_LARGE", "canvas");
  });

  test("an APNG whose acTL declares 20000 frames", async () => {
    const png = pngDeclaring(2, 2, { rows: Buffer.alloc(2 * 9) });
    const actl = Buffer.alloc(8);
    actl.writeUInt32BE(20_000, 0);
    const chunk = Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from("acTL", "latin1"), actl, Buffer.alloc(4)]);
    // After the signature and IHDR (8 + 25 bytes).
    expectRefused(Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]), "MEDIA_DECLARED_SIZE_TOO_LARGE", "animation frames");
  });

  test("a JPEG whose height is deferred to a DNL marker is malformed", () => {
    expectRefused(sampleJpeg(jpegFrameHeader(100, 0)), "MEDIA_MALFORMED");
  });

  test("a GIF frame outside its logical screen is malformed", () => {
    const gif = gifWithFrames(1);
    // The image descriptor's width (after 13 + 6 bytes of header and colour table, and its 5 bytes of position).
    gif.writeUInt16LE(2, 19 + 5);
    expectRefused(gif, "MEDIA_MALFORMED");
  });

  test("a GIF with an unknown block is malformed", () => {
    const gif = gifWithFrames(1);
    expectRefused(Buffer.concat([gif.subarray(0, gif.byteLength - 1), Buffer.from([0x00, 0x3b])]), "MEDIA_MALFORMED");
  });
});
