import type { MediaType } from "./mediaTypes.js";

import { Jimp } from "jimp";
import { decodeWebp } from "./decodeWebp.js";
import { imageDimensions } from "./imageDimensions.js";

export type CreateThumbnailParameters = {
  bytes: Uint8Array;
  mediaType: MediaType;
  /** Longest edge of the thumbnail. */
  maxEdgePx?: number;
  /** Images declaring more pixels than this are not decoded (decompression-bomb guard). */
  maxSourceMegapixels?: number;
};

export type CreateThumbnailReturnType =
  | { created: true; bytes: Uint8Array; mimeType: "image/png" | "image/jpeg"; widthPx: number; heightPx: number }
  | { created: false; reason: "NOT_AN_IMAGE" | "TOO_MANY_PIXELS" | "UNSUPPORTED_ENCODING" | "UNDECODABLE" };

/**
 * A small gallery image, made with jimp (pure JavaScript, so nothing to compile against a Node
 * version). PNG, GIF and WebP sources keep transparency as PNG; JPEG sources become JPEG. WebP is
 * decoded by libwebp compiled to WASM (@jsquash/webp). Nothing whose header declares too many pixels
 * is decoded.
 * A thumbnail is a convenience: failing to make one never rejects the media it was made from.
 */
export async function createThumbnail(parameters: CreateThumbnailParameters): Promise<CreateThumbnailReturnType> {
  const maxEdgePx = parameters.maxEdgePx ?? 512;
  if (!["png", "jpeg", "gif", "webp"].includes(parameters.mediaType)) return { created: false, reason: "NOT_AN_IMAGE" };
  const dimensions = imageDimensions(parameters.bytes, parameters.mediaType);
  if (dimensions === undefined) return { created: false, reason: "UNDECODABLE" };
  if (dimensions.widthPx * dimensions.heightPx > (parameters.maxSourceMegapixels ?? 40) * 1_000_000) {
    return { created: false, reason: "TOO_MANY_PIXELS" };
  }
  let image: Awaited<ReturnType<typeof Jimp.fromBuffer>>;
  try {
    if (parameters.mediaType === "webp") {
      const decoded = await decodeWebp(parameters.bytes);
      image = Jimp.fromBitmap({ width: decoded.widthPx, height: decoded.heightPx, data: Buffer.from(decoded.rgba.buffer) });
    } else {
      image = await Jimp.fromBuffer(Buffer.from(parameters.bytes.buffer, parameters.bytes.byteOffset, parameters.bytes.byteLength));
    }
  } catch {
    return { created: false, reason: "UNDECODABLE" };
  }
  if (image.width > maxEdgePx || image.height > maxEdgePx) image.scaleToFit({ w: maxEdgePx, h: maxEdgePx });
  const mimeType = parameters.mediaType === "jpeg" ? "image/jpeg" : "image/png";
  const bytes = mimeType === "image/jpeg" ? await image.getBuffer("image/jpeg", { quality: 80 }) : await image.getBuffer("image/png");
  return { created: true, bytes, mimeType, widthPx: image.width, heightPx: image.height };
}
