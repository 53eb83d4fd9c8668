import type { CID } from "multiformats/cid";
import type { ContentSource, ContentStore } from "../contentStore.js";

import { createHash } from "node:crypto";
import { VermilionError } from "../../errors/VermilionError.js";
import { createThumbnail } from "./createThumbnail.js";
import { DETECTION_HEAD_BYTES, detectMediaType, findActiveContentMarker } from "./detectMediaType.js";
import { createMediaInspector, type MediaInspector } from "./inspectMediaStructure.js";
import { defaultMediaSizeLimits, mediaTypes, type MediaSizeLimits, type MediaType } from "./mediaTypes.js";

export type AddMediaParameters = {
  content: ContentSource;
  sizeLimits?: Partial<MediaSizeLimits>;
  pin?: { label: string };
  /** Thumbnail settings for images; `false` skips it. */
  thumbnail?: { maxEdgePx?: number; maxSourceMegapixels?: number } | false;
};

export type AddMediaReturnType = {
  cid: CID;
  mediaType: MediaType;
  mimeType: string;
  sizeBytes: number;
  /** Plain SHA-256 of the original bytes, lowercase hex, computed as they streamed in. */
  sha256: string;
  /** A gallery thumbnail, stored (and pinned) beside the original; the original is what provenance covers. */
  thumbnail?: { cid: CID; mimeType: string; widthPx: number; heightPx: number };
  /** Why an image got no thumbnail (absent for non-images). */
  thumbnailSkipped?: string;
};

export type AddMediaErrorType = VermilionError;

/** How many bytes at each end are searched for markup (polyglot check). */
const MARKUP_SCAN_BYTES = 1024;

/**
 * Accept one media file: identify it by magic bytes, enforce its type's size limit, walk its
 * container structure and hash it with SHA-256, all in the one pass over the incoming stream; only
 * if every check passes is it imported into the store (so a rejected upload stores nothing).
 *
 * The accepted bytes are held in memory between the pass and the import, which the per-type size
 * limits bound; the CID is computed by the store's importer, so it matches `ipfs add`. Images also
 * get a thumbnail, made before anything is stored.
 */
export async function addMedia(
  deps: { store: ContentStore },
  parameters: AddMediaParameters,
): Promise<AddMediaReturnType> {
  const limits = { ...defaultMediaSizeLimits, ...parameters.sizeLimits };
  const sha256 = createHash("sha256");
  const chunks: Uint8Array[] = [];
  let head: Uint8Array = new Uint8Array(0);
  let tail: Uint8Array = new Uint8Array(0);
  let sizeBytes = 0;
  let mediaType: MediaType | undefined;
  let inspector: MediaInspector | undefined;

  const decide = () => {
    const detected = detectMediaType(head);
    if (!detected.accepted) throw new VermilionError("MEDIA_TYPE_UNSUPPORTED", { detected: detected.detected });
    mediaType = detected.mediaType;
    inspector = createMediaInspector(mediaType);
    for (const chunk of chunks) inspector.update(chunk);
  };

  const source = parameters.content instanceof Uint8Array ? [parameters.content] : parameters.content;
  for await (const incoming of source) {
    if (incoming.byteLength === 0) continue;
    // Copy: a stream may reuse its buffer, and these bytes are imported after the loop.
    const chunk = Uint8Array.from(incoming);
    sizeBytes += chunk.byteLength;
    sha256.update(chunk);
    chunks.push(chunk);
    if (head.byteLength < MARKUP_SCAN_BYTES) head = Buffer.concat([head, chunk.subarray(0, MARKUP_SCAN_BYTES - head.byteLength)]);
    tail = lastBytes(tail, chunk, MARKUP_SCAN_BYTES);
    if (mediaType === undefined) {
      if (head.byteLength >= DETECTION_HEAD_BYTES) decide();
    } else {
      inspector!.update(chunk);
    }
    if (mediaType !== undefined && sizeBytes > limits[mediaType]) {
      throw new VermilionError("MEDIA_TOO_LARGE", { mediaType, limitBytes: limits[mediaType] });
    }
  }

  if (sizeBytes === 0) throw new VermilionError("MEDIA_EMPTY");
  if (mediaType === undefined) decide();
  if (sizeBytes > limits[mediaType!]) throw new VermilionError("MEDIA_TOO_LARGE", { mediaType: mediaType!, limitBytes: limits[mediaType!] });
  inspector!.finish(tail);
  const marker = findActiveContentMarker(head) ?? findActiveContentMarker(tail);
  if (marker !== undefined) throw new VermilionError("MEDIA_ACTIVE_CONTENT", { marker });

  const accepted = mediaType!;
  const thumbnail =
    parameters.thumbnail === false || mediaTypes[accepted].kind !== "image"
      ? undefined
      : await createThumbnail({ bytes: Buffer.concat(chunks), mediaType: accepted, ...parameters.thumbnail });

  const { cid } = await deps.store.addFile({ content: chunks, pin: parameters.pin });
  const result: AddMediaReturnType = { cid, mediaType: accepted, mimeType: mediaTypes[accepted].mimeType, sizeBytes, sha256: sha256.digest("hex") };
  if (thumbnail?.created === true) {
    const pin = parameters.pin === undefined ? undefined : { label: `${parameters.pin.label}:thumbnail` };
    const stored = await deps.store.addFile({ content: thumbnail.bytes, pin });
    result.thumbnail = { cid: stored.cid, mimeType: thumbnail.mimeType, widthPx: thumbnail.widthPx, heightPx: thumbnail.heightPx };
  } else if (thumbnail !== undefined) {
    result.thumbnailSkipped = thumbnail.reason;
  }
  return result;
}

function lastBytes(previous: Uint8Array, chunk: Uint8Array, count: number): Uint8Array {
  if (chunk.byteLength >= count) return chunk.slice(chunk.byteLength - count);
  const joined = Buffer.concat([previous, chunk]);
  return joined.subarray(Math.max(0, joined.byteLength - count));
}
