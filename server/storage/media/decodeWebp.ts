import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import decode, { init } from "@jsquash/webp/decode.js";

export interface DecodedImage {
  widthPx: number;
  heightPx: number;
  /** RGBA, 4 bytes per pixel, row by row. */
  rgba: Uint8ClampedArray;
}

let ready: Promise<void> | undefined;

/** libwebp's codecs build and take the browser's ImageData, which Node lacks: a minimal stand-in. */
export function ensureImageDataGlobal(): void {
  (globalThis as { ImageData?: unknown }).ImageData ??= class ImageData {
    constructor(
      readonly data: Uint8ClampedArray,
      readonly width: number,
      readonly height: number,
    ) {}
  };
}

/** Loads libwebp's decoder (WASM, from @jsquash/webp) once; nothing native, nothing fetched. */
function loadDecoder(): Promise<void> {
  ready ??= (async () => {
    ensureImageDataGlobal();
    const packageDir = path.dirname(createRequire(import.meta.url).resolve("@jsquash/webp/package.json"));
    // Handing Emscripten the bytes keeps it from fetching the .wasm by URL, which Node cannot do.
    const wasmBinary = await readFile(path.join(packageDir, "codec", "dec", "webp_dec.wasm"));
    await init({ wasmBinary } as never);
  })();
  return ready;
}

/** Decodes a WebP image to RGBA pixels. Throws on bytes libwebp cannot decode. */
export async function decodeWebp(bytes: Uint8Array): Promise<DecodedImage> {
  await loadDecoder();
  const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  const image = await decode(exact as ArrayBuffer);
  return { widthPx: image.width, heightPx: image.height, rgba: image.data };
}
