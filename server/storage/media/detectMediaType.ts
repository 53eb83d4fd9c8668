import type { MediaType } from "./mediaTypes.js";

/** How many leading bytes detection needs; streams are buffered up to this before deciding. */
export const DETECTION_HEAD_BYTES = 64;

export type DetectMediaTypeReturnType =
  | { accepted: true; mediaType: MediaType }
  | { accepted: false; detected: "svg" | "html" | "xml" | "unknown" };

/**
 * Identify media by its magic bytes alone (never a declared type or extension).
 *
 * Cases, in order:
 * 1. Fixed signatures: PNG, JPEG, GIF, WebP (RIFF….WEBP), GLB (`glTF` v2), WebM (EBML with DocType webm).
 * 2. MP4: an `ftyp` box whose major or compatible brands are ISO/MP4 video brands (not HEIF/AVIF stills or QuickTime).
 * 3. MP3: an ID3v2 tag, or an MPEG audio Layer III frame header.
 * 4. Markup (SVG, HTML, XML) is named so the refusal can say why; anything else is `unknown`.
 */
export function detectMediaType(head: Uint8Array): DetectMediaTypeReturnType {
  const ascii = (start: number, end: number) => String.fromCharCode(...head.subarray(start, end));
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { accepted: true, mediaType: "png" };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { accepted: true, mediaType: "jpeg" };
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return { accepted: true, mediaType: "gif" };
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return { accepted: true, mediaType: "webp" };
  if (ascii(0, 4) === "glTF" && readUint32LE(head, 4) === 2) return { accepted: true, mediaType: "glb" };
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3]) && ebmlDocType(head) === "webm") return { accepted: true, mediaType: "webm" };
  if (ascii(4, 8) === "ftyp" && isMp4Brand(head)) return { accepted: true, mediaType: "mp4" };
  if (ascii(0, 3) === "ID3" || isMp3FrameHeader(head, 0)) return { accepted: true, mediaType: "mp3" };
  return { accepted: false, detected: markupKind(head) };
}

const mp4Brands = new Set(["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash", "mmp4"]);

function isMp4Brand(head: Uint8Array): boolean {
  const boxSize = readUint32BE(head, 0);
  const brands: string[] = [String.fromCharCode(...head.subarray(8, 12))];
  for (let offset = 16; offset + 4 <= Math.min(boxSize, head.byteLength); offset += 4) {
    brands.push(String.fromCharCode(...head.subarray(offset, offset + 4)));
  }
  return brands.some((brand) => mp4Brands.has(brand));
}

/** MPEG-1/2/2.5 Layer III frame header: 11 sync bits, a valid version, bitrate and sample rate. */
export function isMp3FrameHeader(bytes: Uint8Array, offset: number): boolean {
  if (offset + 4 > bytes.byteLength) return false;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const bitrateIndex = b2 >> 4;
  const sampleRateIndex = (b2 >> 2) & 0b11;
  return bytes[offset] === 0xff && (b1 & 0xe0) === 0xe0 && version !== 0b01 && layer === 0b01 && bitrateIndex !== 0 && bitrateIndex !== 0xf && sampleRateIndex !== 0b11;
}

/** The DocType string inside an EBML header (`webm` or `matroska`), read from the head bytes. */
function ebmlDocType(head: Uint8Array): string | undefined {
  for (let i = 4; i + 3 < head.byteLength; i++) {
    // DocType element ID 0x4282 followed by a one-byte size vint (0x80 | length).
    if (head[i] === 0x42 && head[i + 1] === 0x82 && (head[i + 2]! & 0x80) !== 0) {
      const length = head[i + 2]! & 0x7f;
      return String.fromCharCode(...head.subarray(i + 3, i + 3 + length));
    }
  }
  return undefined;
}

function markupKind(head: Uint8Array): "svg" | "html" | "xml" | "unknown" {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head).replace(/^\uFEFF/, "").trimStart().toLowerCase();
  if (text.includes("<svg")) return "svg";
  if (text.startsWith("<!doctype html") || text.startsWith("<html") || text.includes("<script") || text.includes("<body")) return "html";
  if (text.startsWith("<?xml")) return "xml";
  return "unknown";
}

const activeContentMarkers = ["<script", "<html", "<svg", "<!doctype", "<iframe", "<object", "<?php", "javascript:", "<body"];

/**
 * A markup marker found in the given bytes, if any. Media that passes the magic-byte check but
 * carries markup at its start or end is a polyglot (valid image, also a valid HTML page) and is refused.
 */
export function findActiveContentMarker(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1").toLowerCase();
  return activeContentMarkers.find((marker) => text.includes(marker));
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

export function readUint32LE(bytes: Uint8Array, offset: number): number {
  if (offset + 4 > bytes.byteLength) return -1;
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16)) + bytes[offset + 3]! * 0x1000000;
}

export function readUint32BE(bytes: Uint8Array, offset: number): number {
  if (offset + 4 > bytes.byteLength) return -1;
  return bytes[offset]! * 0x1000000 + ((bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!);
}
