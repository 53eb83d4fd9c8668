import type { MediaType } from "./mediaTypes.js";

import sharp from "sharp";

import { VermilionError } from "../../errors/VermilionError.js";
import { defaultDeclaredSizeLimits } from "./inspectMediaStructure.js";

export type CreateThumbnailParameters = {
  /** The image: a file path (a stored upload, read sequentially) or its bytes. */
  input: string | Uint8Array;
  mediaType: MediaType;
  /** Longest edge of the thumbnail. */
  maxEdgePx?: number;
  /** Images with more pixels than this are accepted but not decoded for a thumbnail. */
  maxSourceMegapixels?: number;
  /** Images with more pixels than this are refused (MEDIA_DECLARED_SIZE_TOO_LARGE). */
  maxImagePixels?: number;
  /** Decoding and resizing stop after this long (MEDIA_DECODE_BUDGET_EXCEEDED). */
  timeoutSeconds?: number;
};

export type CreateThumbnailReturnType =
  | { created: true; bytes: Uint8Array; mimeType: "image/png" | "image/jpeg"; widthPx: number; heightPx: number }
  | { created: false; reason: "NOT_AN_IMAGE" | "TOO_MANY_PIXELS" | "UNDECODABLE" };

const IMAGE_TYPES: readonly MediaType[] = ["png", "jpeg", "gif", "webp"];

/**
 * Decodes at once: libuv's thread pool (4 threads) also serves every file read and write, so decodes
 * never take all of it; the others wait their turn here.
 */
const MAX_CONCURRENT_DECODES = 2;
let decodesRunning = 0;
const decodesWaiting: Array<() => void> = [];

async function withDecodeSlot<T>(work: () => Promise<T>): Promise<T> {
  if (decodesRunning >= MAX_CONCURRENT_DECODES) await new Promise<void>((resolve) => decodesWaiting.push(resolve));
  else decodesRunning++;
  try {
    return await work();
  } finally {
    const next = decodesWaiting.shift();
    if (next) next();
    else decodesRunning--;
  }
}

/**
 * A small gallery image, made by sharp (libvips): it decodes on libuv's thread pool, never on the
 * event loop, refuses inputs over `limitInputPixels` before allocating for them, streams rows
 * (`sequentialRead`) and stops at its `timeout`. The size is read from the header (`metadata()`)
 * before anything is decoded. PNG, GIF and WebP sources keep transparency as PNG; JPEG stays JPEG;
 * only the first frame of an animation is read.
 *
 * Bytes the decoder cannot read get no thumbnail (the original is what provenance covers); a size
 * over the hard limit or a decode over its time budget refuses the image.
 */
export async function createThumbnail(parameters: CreateThumbnailParameters): Promise<CreateThumbnailReturnType> {
  const { mediaType } = parameters;
  if (!IMAGE_TYPES.includes(mediaType)) return { created: false, reason: "NOT_AN_IMAGE" };
  const maxEdgePx = parameters.maxEdgePx ?? 512;
  const maxImagePixels = parameters.maxImagePixels ?? defaultDeclaredSizeLimits.maxImagePixels;
  const maxSourcePixels = Math.min(maxImagePixels, Math.floor((parameters.maxSourceMegapixels ?? 40) * 1_000_000));
  const timeoutSeconds = parameters.timeoutSeconds ?? 10;
  const input = typeof parameters.input === "string" ? parameters.input : Buffer.from(parameters.input.buffer, parameters.input.byteOffset, parameters.input.byteLength);
  const open = (limitInputPixels: number) => sharp(input, { limitInputPixels, sequentialRead: true, failOn: "error", animated: false });

  let widthPx: number;
  let heightPx: number;
  try {
    ({ width: widthPx, height: heightPx } = await open(maxImagePixels).metadata());
  } catch (cause) {
    if (isPixelLimitError(cause)) throw new VermilionError("MEDIA_DECLARED_SIZE_TOO_LARGE", { mediaType, declared: "canvas", value: "over the limit", limit: maxImagePixels }, { cause });
    return { created: false, reason: "UNDECODABLE" };
  }
  if (widthPx * heightPx > maxImagePixels) {
    throw new VermilionError("MEDIA_DECLARED_SIZE_TOO_LARGE", { mediaType, declared: `canvas of ${widthPx}x${heightPx} pixels`, value: widthPx * heightPx, limit: maxImagePixels });
  }
  if (widthPx * heightPx > maxSourcePixels) return { created: false, reason: "TOO_MANY_PIXELS" };

  const mimeType = mediaType === "jpeg" ? "image/jpeg" : "image/png";
  try {
    const resized = open(maxSourcePixels).resize({ width: maxEdgePx, height: maxEdgePx, fit: "inside", withoutEnlargement: true });
    const encoded = mimeType === "image/jpeg" ? resized.jpeg({ quality: 80 }) : resized.png();
    const { data, info } = await withDecodeSlot(() => encoded.timeout({ seconds: timeoutSeconds }).toBuffer({ resolveWithObject: true }));
    return { created: true, bytes: data, mimeType, widthPx: info.width, heightPx: info.height };
  } catch (cause) {
    if (/timeout/i.test((cause as Error).message)) {
      throw new VermilionError("MEDIA_DECODE_BUDGET_EXCEEDED", { mediaType, budget: `${timeoutSeconds} s` }, { cause });
    }
    if (isPixelLimitError(cause)) throw new VermilionError("MEDIA_DECLARED_SIZE_TOO_LARGE", { mediaType, declared: "canvas", value: "over the limit", limit: maxImagePixels }, { cause });
    return { created: false, reason: "UNDECODABLE" };
  }
}

function isPixelLimitError(error: unknown): boolean {
  return /exceeds pixel limit/i.test((error as Error).message ?? "");
}
