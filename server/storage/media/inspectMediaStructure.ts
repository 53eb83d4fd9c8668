import type { MediaType } from "./mediaTypes.js";

import { VermilionError } from "../../errors/VermilionError.js";
import { isMp3FrameHeader, readUint32BE, readUint32LE } from "./detectMediaType.js";
import { ScheduledReader } from "./scheduledReader.js";

export type MediaInspector = {
  /** Feed the next bytes of the stream; throws MEDIA_MALFORMED as soon as the structure is wrong. */
  update(chunk: Uint8Array): void;
  /** Check the end of the stream; throws MEDIA_TRUNCATED or MEDIA_MALFORMED. */
  finish(tail: Uint8Array): void;
};

const GLB_JSON_CHUNK = 0x4e4f534a;
const GLB_BIN_CHUNK = 0x004e4942;
const MAX_GLB_JSON_BYTES = 64 * 1024 * 1024;

/**
 * A streaming structural check for one media type: it walks the container's own length fields
 * while the bytes stream past, so a truncated upload or bytes appended after the format's end
 * (how polyglots hide a second file) are caught without a second pass.
 */
export function createMediaInspector(mediaType: MediaType): MediaInspector {
  const reader = new ScheduledReader();
  const malformed = (reason: string) => new VermilionError("MEDIA_MALFORMED", { mediaType, reason });
  const truncated = (reason: string) => new VermilionError("MEDIA_TRUNCATED", { mediaType, reason });
  /** The absolute offset at which the format says the file ends; undefined while unknown. */
  let endOffset: number | undefined;
  /** Walkers set this when they expect the file to end exactly where their next header would start. */
  let endsAtNextHeader = false;
  let complete: () => void = () => undefined;

  const checkEnd = (total: number) => {
    if (endOffset === undefined && endsAtNextHeader) {
      const next = reader.awaitingOffset;
      if (next === undefined || next !== total) {
        throw truncated(next === undefined ? "container walk did not finish" : `stream ends at ${total}, structure continues at ${next}`);
      }
      return;
    }
    if (endOffset === undefined) throw truncated("end of the container structure never reached");
    if (total < endOffset) throw truncated(`declared ${endOffset} bytes, got ${total}`);
    if (total > endOffset) throw malformed(`${total - endOffset} bytes after the end of the ${mediaType} structure`);
  };

  switch (mediaType) {
    case "png": {
      let first = true;
      const readChunk = (offset: number) =>
        reader.expect(offset, 8, (header) => {
          const length = readUint32BE(header, 0);
          const type = String.fromCharCode(...header.subarray(4, 8));
          if (first && type !== "IHDR") throw malformed("first chunk is not IHDR");
          if (length > 0x7fffffff) throw malformed("chunk length over 2^31-1");
          first = false;
          const next = offset + 12 + length;
          if (type === "IEND") endOffset = next;
          else readChunk(next);
        });
      readChunk(8);
      break;
    }
    case "webp":
      reader.expect(4, 4, (size) => {
        endOffset = readUint32LE(size, 0) + 8;
      });
      break;
    case "glb": {
      reader.expect(0, 12, (header) => {
        endOffset = readUint32LE(header, 8);
        if (endOffset < 20) throw malformed(`declared length ${endOffset} is below the minimum`);
        reader.expect(12, 8, (chunkHeader) => {
          const jsonLength = readUint32LE(chunkHeader, 0);
          if (readUint32LE(chunkHeader, 4) !== GLB_JSON_CHUNK) throw malformed("first chunk is not JSON");
          if (jsonLength % 4 !== 0) throw malformed("JSON chunk length is not 4-byte aligned");
          if (jsonLength > MAX_GLB_JSON_BYTES) throw malformed("JSON chunk too large");
          reader.expect(20, jsonLength, (jsonBytes) => {
            let gltf: unknown;
            try {
              gltf = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(jsonBytes));
            } catch (error) {
              throw new VermilionError("MEDIA_MALFORMED", { mediaType, reason: "JSON chunk is not valid UTF-8 JSON" }, { cause: error });
            }
            const version = (gltf as { asset?: { version?: unknown } } | null)?.asset?.version;
            if (typeof version !== "string" || !version.startsWith("2.")) throw malformed("JSON chunk has no glTF 2.x asset.version");
            const next = 20 + jsonLength;
            if (next === endOffset) return;
            reader.expect(next, 8, (binHeader) => {
              const binLength = readUint32LE(binHeader, 0);
              if (readUint32LE(binHeader, 4) !== GLB_BIN_CHUNK) throw malformed("second chunk is not BIN");
              if (binLength % 4 !== 0) throw malformed("BIN chunk length is not 4-byte aligned");
              if (next + 8 + binLength !== endOffset) throw malformed("chunk lengths do not add up to the declared length");
            });
          });
        });
      });
      complete = () => {
        if (reader.awaitingOffset !== undefined) throw truncated("GLB chunk structure incomplete");
      };
      break;
    }
    case "mp4": {
      endsAtNextHeader = true;
      let first = true;
      let sawMovie = false;
      const readBox = (offset: number) =>
        reader.expect(offset, 8, (header) => {
          const size32 = readUint32BE(header, 0);
          const type = String.fromCharCode(...header.subarray(4, 8));
          if (first && type !== "ftyp") throw malformed("first box is not ftyp");
          first = false;
          if (type === "moov") sawMovie = true;
          if (size32 === 0) {
            // A box of size 0 runs to the end of the file: nothing after it to walk.
            endsAtNextHeader = false;
            endOffset = Number.POSITIVE_INFINITY;
            return;
          }
          if (size32 === 1) {
            reader.expect(offset + 8, 8, (large) => {
              const size = Number(Buffer.from(large).readBigUInt64BE(0));
              if (size < 16) throw malformed(`box ${type} has size ${size}`);
              readBox(offset + size);
            });
            return;
          }
          if (size32 < 8) throw malformed(`box ${type} has size ${size32}`);
          readBox(offset + size32);
        });
      readBox(0);
      complete = () => {
        if (!sawMovie) throw malformed("no moov box");
      };
      break;
    }
    case "webm": {
      endsAtNextHeader = true;
      let index = 0;
      let sawSegment = false;
      const readElement = (offset: number) =>
        reader.expect(offset, 1, (idFirst) => {
          const idLength = vintLength(idFirst[0]!);
          if (idLength === 0 || idLength > 4) throw malformed("invalid EBML element ID");
          reader.expect(offset, idLength + 1, (withSizeFirst) => {
            const sizeLength = vintLength(withSizeFirst[idLength]!);
            if (sizeLength === 0) throw malformed("invalid EBML size");
            reader.expect(offset, idLength + sizeLength, (header) => {
              const id = header.subarray(0, idLength).reduce((value, byte) => value * 256 + byte, 0);
              const { value: size, unknown } = readVint(header.subarray(idLength));
              if (index === 0 && id !== 0x1a45dfa3) throw malformed("first element is not the EBML header");
              if (id === 0x18538067) sawSegment = true;
              index++;
              if (unknown) {
                // A live-recorded Segment may declare "unknown size": it runs to the end of the file.
                endsAtNextHeader = false;
                endOffset = Number.POSITIVE_INFINITY;
                return;
              }
              readElement(offset + idLength + sizeLength + size);
            });
          });
        });
      readElement(0);
      complete = () => {
        if (!sawSegment) throw truncated("no Segment element");
      };
      break;
    }
    case "mp3":
      reader.expect(0, 10, (head) => {
        const hasTag = String.fromCharCode(...head.subarray(0, 3)) === "ID3";
        let audioStart = 0;
        if (hasTag) {
          const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
          audioStart = 10 + size + ((head[5]! & 0x10) !== 0 ? 10 : 0);
        }
        endOffset = Number.POSITIVE_INFINITY;
        reader.expect(audioStart, 4, (frame) => {
          if (!isMp3FrameHeader(frame, 0)) throw malformed("no MPEG audio frame after the ID3 tag");
        });
      });
      complete = () => {
        if (reader.awaitingOffset !== undefined) throw truncated("no complete MPEG audio frame header");
      };
      break;
    case "jpeg":
    case "gif":
      endOffset = Number.POSITIVE_INFINITY;
      break;
  }

  return {
    update(chunk) {
      try {
        reader.feed(chunk);
      } catch (error) {
        if (error instanceof VermilionError) throw error;
        throw new VermilionError("MEDIA_MALFORMED", { mediaType, reason: (error as Error).message }, { cause: error });
      }
    },
    finish(tail) {
      const total = reader.bytesSeen;
      // Formats without a length walk end in a fixed trailer.
      if (mediaType === "jpeg" && !(tail.byteLength >= 2 && tail[tail.byteLength - 2] === 0xff && tail[tail.byteLength - 1] === 0xd9)) {
        throw truncated("no JPEG end-of-image marker");
      }
      if (mediaType === "gif" && tail[tail.byteLength - 1] !== 0x3b) throw truncated("no GIF trailer");
      if (endOffset === Number.POSITIVE_INFINITY) {
        complete();
        return;
      }
      if (mediaType === "png" && endOffset === undefined) throw truncated("no IEND chunk");
      complete();
      checkEnd(total);
    },
  };
}

/** Length in bytes of an EBML variable-size integer, from its first byte (0 if invalid). */
function vintLength(firstByte: number): number {
  for (let length = 1; length <= 8; length++) if ((firstByte & (0x80 >> (length - 1))) !== 0) return length;
  return 0;
}

function readVint(bytes: Uint8Array): { value: number; unknown: boolean } {
  const length = vintLength(bytes[0]!);
  let value = bytes[0]! & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[i]!;
    if (bytes[i] !== 0xff) allOnes = false;
  }
  return { value, unknown: allOnes };
}
