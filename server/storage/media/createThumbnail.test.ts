import sharp from "sharp";
import { expect, test } from "vitest";

import { isVermilionError } from "../../errors/VermilionError.js";
import { createThumbnail } from "./createThumbnail.js";

/** A real WebP, encoded by libwebp (through sharp) from a flat colour. */
function encodeWebp(widthPx: number, heightPx: number): Promise<Buffer> {
  return sharp({ create: { width: widthPx, height: heightPx, channels: 4, background: "#c8352a" } }).webp({ quality: 80 }).toBuffer();
}

test("a WebP image gets a PNG thumbnail that fits the longest edge", async () => {
  const webp = await encodeWebp(800, 600);
  const thumbnail = await createThumbnail({ input: webp, mediaType: "webp", maxEdgePx: 256 });
  expect(thumbnail).toMatchObject({ created: true, mimeType: "image/png", widthPx: 256, heightPx: 192 });
  if (!thumbnail.created) throw new Error("no thumbnail");
  const decoded = await sharp(thumbnail.bytes).metadata();
  expect([decoded.format, decoded.width, decoded.height]).toEqual(["png", 256, 192]);
});

test("bytes that only look like WebP are skipped as undecodable, never thrown", async () => {
  const fake = Buffer.concat([Buffer.from("RIFF"), Buffer.from([60, 0, 0, 0]), Buffer.from("WEBPVP8L"), Buffer.alloc(52, 0x2f)]);
  const thumbnail = await createThumbnail({ input: fake, mediaType: "webp" });
  expect(thumbnail).toEqual({ created: false, reason: "UNDECODABLE" });
});

test("an image whose header declares more pixels than the hard limit is refused from its header alone", async () => {
  const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#000000" } }).png().toBuffer();
  const error = await createThumbnail({ input: png, mediaType: "png", maxImagePixels: 50_000 }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isVermilionError(error, "MEDIA_DECLARED_SIZE_TOO_LARGE"), String(error)).toBe(true);
});

test("thumbnails asked for at once all finish: decodes past the concurrent bound wait their turn", async () => {
  const webp = await encodeWebp(300, 200);
  const thumbnails = await Promise.all(Array.from({ length: 5 }, () => createThumbnail({ input: webp, mediaType: "webp", maxEdgePx: 30 })));
  expect(thumbnails.map((thumbnail) => (thumbnail.created ? [thumbnail.widthPx, thumbnail.heightPx] : thumbnail.reason))).toEqual(
    Array.from({ length: 5 }, () => [30, 20]),
  );
});
