import type { MediaType } from "./mediaTypes.js";

import { readUint32BE, readUint32LE } from "./detectMediaType.js";

export type ImageDimensions = { widthPx: number; heightPx: number };

/**
 * Pixel dimensions read from an image's header without decoding it, so a decompression bomb (a
 * small file declaring a gigapixel canvas) can be skipped before any decoder allocates for it.
 */
export function imageDimensions(bytes: Uint8Array, mediaType: MediaType): ImageDimensions | undefined {
  switch (mediaType) {
    case "png":
      return { widthPx: readUint32BE(bytes, 16), heightPx: readUint32BE(bytes, 20) };
    case "gif":
      return { widthPx: bytes[6]! | (bytes[7]! << 8), heightPx: bytes[8]! | (bytes[9]! << 8) };
    case "jpeg":
      return jpegDimensions(bytes);
    case "webp":
      return webpDimensions(bytes);
    default:
      return undefined;
  }
}

/** Walk JPEG marker segments to the first start-of-frame (SOF0–SOF15 except DHT, JPG, DAC). */
function jpegDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  let offset = 2;
  while (offset + 9 < bytes.byteLength) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { heightPx: (bytes[offset + 5]! << 8) | bytes[offset + 6]!, widthPx: (bytes[offset + 7]! << 8) | bytes[offset + 8]! };
    }
    offset += 2 + length;
  }
  return undefined;
}

function webpDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === "VP8X") {
    const width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    const height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
    return { widthPx: width, heightPx: height };
  }
  if (chunk === "VP8L") {
    const bits = readUint32LE(bytes, 21);
    return { widthPx: (bits & 0x3fff) + 1, heightPx: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8 ") {
    return { widthPx: (bytes[26]! | (bytes[27]! << 8)) & 0x3fff, heightPx: (bytes[28]! | (bytes[29]! << 8)) & 0x3fff };
  }
  return undefined;
}
