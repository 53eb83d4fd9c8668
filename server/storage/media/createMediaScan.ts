import type { DeclaredSizeLimits, MediaInspection, MediaInspector } from "./inspectMediaStructure.js";
import type { MediaSizeLimits, MediaType } from "./mediaTypes.js";

import { createHash } from "node:crypto";

import { VermilionError } from "../../errors/VermilionError.js";
import { DETECTION_HEAD_BYTES, detectMediaType, findActiveContentMarker } from "./detectMediaType.js";
import { createMediaInspector, defaultDeclaredSizeLimits } from "./inspectMediaStructure.js";
import { defaultMediaSizeLimits } from "./mediaTypes.js";

export type MediaScanLimits = { sizeLimits?: Partial<MediaSizeLimits>; declared?: Partial<Omit<DeclaredSizeLimits, "maxBytes">> };

/** What one pass over a media file found: its type, size and SHA-256, and what is left to check on the whole file. */
export type ScannedMedia = {
  mediaType: MediaType;
  sizeBytes: number;
  /** Plain SHA-256 of the bytes, lowercase hex. */
  sha256: string;
  inspection: MediaInspection;
};

export type MediaScan = {
  /** The next bytes of the file; throws a MEDIA_* error as soon as they cannot be accepted. */
  update(chunk: Uint8Array): void;
  /** The end of the file: the checks that need it, then the result. */
  finish(): ScannedMedia;
};

/** How many bytes at each end are searched for markup (polyglot check). */
const MARKUP_SCAN_BYTES = 1024;

/**
 * The single pass every upload gets while it streams in: magic-byte detection, the type's size limit,
 * the container walk (with every size the format declares checked as its header passes), SHA-256 and
 * the markup scan of both ends. Memory stays constant: only a head and a tail of 1 KiB are kept, and
 * each chunk costs a hash update and a few header reads (nothing here parses a payload).
 */
export function createMediaScan(limits: MediaScanLimits = {}): MediaScan {
  const sizeLimits = { ...defaultMediaSizeLimits, ...limits.sizeLimits };
  const sha256 = createHash("sha256");
  const pending: Uint8Array[] = [];
  let head: Uint8Array = new Uint8Array(0);
  let tail: Uint8Array = new Uint8Array(0);
  let sizeBytes = 0;
  let mediaType: MediaType | undefined;
  let inspector: MediaInspector | undefined;

  const decide = () => {
    const detected = detectMediaType(head);
    if (!detected.accepted) throw new VermilionError("MEDIA_TYPE_UNSUPPORTED", { detected: detected.detected });
    mediaType = detected.mediaType;
    inspector = createMediaInspector(mediaType, { ...defaultDeclaredSizeLimits, ...limits.declared, maxBytes: sizeLimits[mediaType] });
    for (const chunk of pending.splice(0)) inspector.update(chunk);
  };
  const checkSize = () => {
    if (mediaType !== undefined && sizeBytes > sizeLimits[mediaType]) {
      throw new VermilionError("MEDIA_TOO_LARGE", { mediaType, limitBytes: sizeLimits[mediaType] });
    }
  };

  return {
    update(incoming) {
      if (incoming.byteLength === 0) return;
      sizeBytes += incoming.byteLength;
      sha256.update(incoming);
      if (head.byteLength < MARKUP_SCAN_BYTES) head = Buffer.concat([head, incoming.subarray(0, MARKUP_SCAN_BYTES - head.byteLength)]);
      tail = lastBytes(tail, incoming, MARKUP_SCAN_BYTES);
      if (mediaType === undefined) {
        // Until the type is known, the few chunks that make up the detection head wait (a copy: callers reuse buffers).
        pending.push(Uint8Array.from(incoming));
        if (head.byteLength >= DETECTION_HEAD_BYTES) decide();
      } else {
        inspector!.update(incoming);
      }
      checkSize();
    },
    finish() {
      if (sizeBytes === 0) throw new VermilionError("MEDIA_EMPTY");
      if (mediaType === undefined) decide();
      checkSize();
      const inspection = inspector!.finish(tail);
      const marker = findActiveContentMarker(head) ?? findActiveContentMarker(tail);
      if (marker !== undefined) throw new VermilionError("MEDIA_ACTIVE_CONTENT", { marker });
      return { mediaType: mediaType!, sizeBytes, sha256: sha256.digest("hex"), inspection };
    },
  };
}

function lastBytes(previous: Uint8Array, chunk: Uint8Array, count: number): Uint8Array {
  if (chunk.byteLength >= count) return chunk.slice(chunk.byteLength - count);
  const joined = Buffer.concat([previous, chunk]);
  return joined.subarray(Math.max(0, joined.byteLength - count));
}
