import type { MediaType } from "./mediaTypes.js";

import { VermilionError } from "../../errors/VermilionError.js";
import { isMp3FrameHeader, readUint32BE, readUint32LE } from "./detectMediaType.js";
import { ScheduledReader } from "./scheduledReader.js";

export type MediaInspector = {
  /** Feed the next bytes of the stream; throws MEDIA_MALFORMED as soon as the structure is wrong. */
  update(chunk: Uint8Array): void;
  /** Check the end of the stream; throws MEDIA_TRUNCATED or MEDIA_MALFORMED. */
  finish(tail: Uint8Array): MediaInspection;
};

/** What the streaming walk leaves for a check that needs the whole file (run off the event loop). */
export type MediaInspection = {
  /** Where a GLB's JSON chunk lies in the file: parsed later, in a worker, never on the stream. */
  glbJson?: { offsetBytes: number; lengthBytes: number };
};

/** Bounds on what a file may declare, checked as each header streams past, before any decoder runs. */
export type DeclaredSizeLimits = {
  /** The file's own size limit: no length field may point past it. */
  maxBytes: number;
  /** Width × height of any canvas or frame (sharp's own default, 16383 × 16383). */
  maxImagePixels: number;
  /** Frames of an animation (GIF, APNG, animated WebP). */
  maxFrames: number;
  /** A GLB's JSON chunk. */
  maxGlbJsonBytes: number;
};

export const defaultDeclaredSizeLimits: Omit<DeclaredSizeLimits, "maxBytes"> = {
  maxImagePixels: 16_383 * 16_383,
  maxFrames: 10_000,
  maxGlbJsonBytes: 16 * 1024 * 1024,
};

const GLB_JSON_CHUNK = 0x4e4f534a;
const GLB_BIN_CHUNK = 0x004e4942;

/**
 * A streaming structural check for one media type: it walks the container's own length fields
 * while the bytes stream past, so a truncated upload or bytes appended after the format's end
 * (how polyglots hide a second file) are caught without a second pass.
 */
export function createMediaInspector(mediaType: MediaType, limits: DeclaredSizeLimits): MediaInspector {
  const reader = new ScheduledReader();
  const malformed = (reason: string) => new VermilionError("MEDIA_MALFORMED", { mediaType, reason });
  const truncated = (reason: string) => new VermilionError("MEDIA_TRUNCATED", { mediaType, reason });
  const overLimit = (declared: string, value: number, limit: number) =>
    new VermilionError("MEDIA_DECLARED_SIZE_TOO_LARGE", { mediaType, declared, value, limit });
  /** Canvas and frame sizes: checked as soon as a header names them, before anything decodes them. */
  const checkPixels = (what: string, widthPx: number, heightPx: number) => {
    if (widthPx === 0 || heightPx === 0) throw malformed(`${what} declares ${widthPx}x${heightPx} pixels`);
    if (widthPx * heightPx > limits.maxImagePixels) throw overLimit(`${what} of ${widthPx}x${heightPx} pixels`, widthPx * heightPx, limits.maxImagePixels);
  };
  const checkFrames = (frames: number) => {
    if (frames > limits.maxFrames) throw overLimit("animation frames", frames, limits.maxFrames);
  };
  /** A length field pointing past the file's own size limit is refused at once, not when the stream ends. */
  const checkExtent = (what: string, endBytes: number) => {
    if (endBytes > limits.maxBytes) throw overLimit(`${what} ending at byte ${endBytes}`, endBytes, limits.maxBytes);
  };
  let inspection: MediaInspection = {};
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
      let ihdr: { widthPx: number; heightPx: number } | undefined;
      const readChunk = (offset: number) =>
        reader.expect(offset, 8, (header) => {
          const length = readUint32BE(header, 0);
          const type = String.fromCharCode(...header.subarray(4, 8));
          if (first && type !== "IHDR") throw malformed("first chunk is not IHDR");
          if (length > 0x7fffffff) throw malformed("chunk length over 2^31-1");
          first = false;
          const next = offset + 12 + length;
          checkExtent(`chunk ${type}`, next);
          if (type === "IEND") endOffset = next;
          else if (type === "IHDR") {
            if (length !== 13) throw malformed("IHDR is not 13 bytes");
            reader.expect(offset + 8, 8, (size) => {
              ihdr = { widthPx: readUint32BE(size, 0), heightPx: readUint32BE(size, 4) };
              checkPixels("canvas", ihdr.widthPx, ihdr.heightPx);
              readChunk(next);
            });
          } else if (type === "acTL" && length >= 4) {
            reader.expect(offset + 8, 4, (frames) => {
              checkFrames(readUint32BE(frames, 0));
              readChunk(next);
            });
          } else if (type === "fcTL" && length >= 12) {
            reader.expect(offset + 12, 8, (size) => {
              const [widthPx, heightPx] = [readUint32BE(size, 0), readUint32BE(size, 4)];
              checkPixels("frame", widthPx, heightPx);
              if (ihdr && (widthPx > ihdr.widthPx || heightPx > ihdr.heightPx)) throw malformed("an APNG frame is larger than the canvas");
              readChunk(next);
            });
          } else readChunk(next);
        });
      readChunk(8);
      break;
    }
    case "webp": {
      let frames = 0;
      /**
       * RIFF chunks one after another (each padded to an even length); the first says how the image is
       * coded and where its canvas size lies: VP8 (lossy key frame), VP8L (lossless) or VP8X (extended:
       * canvas, then ANMF frames for an animation).
       */
      const readChunk = (offset: number) => {
        if (offset === endOffset) return;
        reader.expect(offset, 8, (header) => {
          const fourcc = String.fromCharCode(...header.subarray(0, 4));
          const size = readUint32LE(header, 4);
          const next = offset + 8 + size + (size & 1);
          if (endOffset !== undefined && next > endOffset) throw malformed(`chunk ${fourcc} runs past the RIFF size`);
          const first = offset === 12;
          if (first && fourcc === "VP8X" && size >= 10) {
            reader.expect(offset + 12, 6, (canvas) => {
              checkPixels("canvas", 1 + readUint24LE(canvas, 0), 1 + readUint24LE(canvas, 3));
              readChunk(next);
            });
          } else if (first && fourcc === "VP8L" && size >= 5) {
            reader.expect(offset + 8, 5, (bits) => {
              if (bits[0] !== 0x2f) throw malformed("VP8L signature missing");
              const packed = readUint32LE(bits, 1);
              checkPixels("canvas", (packed & 0x3fff) + 1, ((packed >>> 14) & 0x3fff) + 1);
              readChunk(next);
            });
          } else if (first && fourcc === "VP8 " && size >= 10) {
            reader.expect(offset + 8, 10, (frame) => {
              if (frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) throw malformed("VP8 start code missing");
              checkPixels("canvas", (frame[6]! | (frame[7]! << 8)) & 0x3fff, (frame[8]! | (frame[9]! << 8)) & 0x3fff);
              readChunk(next);
            });
          } else if (first) {
            throw malformed(`first chunk ${fourcc} is not VP8, VP8L or VP8X`);
          } else if (fourcc === "ANMF" && size >= 12) {
            checkFrames(++frames);
            reader.expect(offset + 14, 6, (frame) => {
              checkPixels("frame", 1 + readUint24LE(frame, 0), 1 + readUint24LE(frame, 3));
              readChunk(next);
            });
          } else readChunk(next);
        });
      };
      reader.expect(4, 4, (size) => {
        endOffset = readUint32LE(size, 0) + 8;
        checkExtent("RIFF container", endOffset);
        readChunk(12);
      });
      break;
    }
    case "glb": {
      reader.expect(0, 12, (header) => {
        endOffset = readUint32LE(header, 8);
        if (endOffset < 20) throw malformed(`declared length ${endOffset} is below the minimum`);
        checkExtent("GLB header length", endOffset);
        reader.expect(12, 8, (chunkHeader) => {
          const jsonLength = readUint32LE(chunkHeader, 0);
          if (readUint32LE(chunkHeader, 4) !== GLB_JSON_CHUNK) throw malformed("first chunk is not JSON");
          if (jsonLength % 4 !== 0) throw malformed("JSON chunk length is not 4-byte aligned");
          if (jsonLength > limits.maxGlbJsonBytes) throw overLimit("JSON chunk bytes", jsonLength, limits.maxGlbJsonBytes);
          const next = 20 + jsonLength;
          if (next > endOffset!) throw malformed(`JSON chunk of ${jsonLength} bytes runs past the declared length ${endOffset}`);
          // The JSON is not held here: it is parsed from the stored file later, in a worker with a memory and time budget.
          inspection = { glbJson: { offsetBytes: 20, lengthBytes: jsonLength } };
          if (next === endOffset) return;
          reader.expect(next, 8, (binHeader) => {
            const binLength = readUint32LE(binHeader, 0);
            if (readUint32LE(binHeader, 4) !== GLB_BIN_CHUNK) throw malformed("second chunk is not BIN");
            if (binLength % 4 !== 0) throw malformed("BIN chunk length is not 4-byte aligned");
            if (next + 8 + binLength !== endOffset) throw malformed("chunk lengths do not add up to the declared length");
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
              checkExtent(`box ${type}`, offset + size);
              readBox(offset + size);
            });
            return;
          }
          if (size32 < 8) throw malformed(`box ${type} has size ${size32}`);
          checkExtent(`box ${type}`, offset + size32);
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
              checkExtent(`element 0x${id.toString(16)}`, offset + idLength + sizeLength + size);
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
          checkExtent("ID3 tag", audioStart);
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
    case "jpeg": {
      /**
       * Marker segments from SOI to the first scan (SOS); the frame header (SOF) before it names the
       * size. After SOS comes entropy-coded data, which has no lengths to walk: the end is the EOI trailer.
       */
      let sawFrame = false;
      const readMarker = (offset: number) =>
        reader.expect(offset, 2, (marker) => {
          if (marker[0] !== 0xff) throw malformed(`no marker at byte ${offset}`);
          const code = marker[1]!;
          // Fill bytes, and markers that stand alone (TEM, RSTn).
          if (code === 0xff) return readMarker(offset + 1);
          if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) return readMarker(offset + 2);
          reader.expect(offset + 2, 2, (lengthBytes) => {
            const length = (lengthBytes[0]! << 8) | lengthBytes[1]!;
            if (length < 2) throw malformed(`segment 0x${code.toString(16)} has length ${length}`);
            const next = offset + 2 + length;
            const isFrame = code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;
            if (code === 0xda) {
              if (!sawFrame) throw malformed("a scan starts before any frame header");
              endOffset = Number.POSITIVE_INFINITY;
            } else if (isFrame) {
              if (length < 8) throw malformed("frame header too short");
              reader.expect(offset + 5, 4, (size) => {
                const heightPx = (size[0]! << 8) | size[1]!;
                const widthPx = (size[2]! << 8) | size[3]!;
                // Height 0 defers it to a DNL marker after the scan: decoders would allocate before knowing.
                if (heightPx === 0) throw malformed("frame height deferred to a DNL marker");
                checkPixels("frame", widthPx, heightPx);
                sawFrame = true;
                readMarker(next);
              });
            } else readMarker(next);
          });
        });
      readMarker(2);
      complete = () => {
        if (endOffset === undefined) throw truncated("no scan after the frame header");
      };
      break;
    }
    case "gif": {
      /**
       * Logical screen, then blocks until the trailer: extensions (label and data sub-blocks) and
       * images (descriptor, optional colour table, LZW sub-blocks). Every frame is counted and sized.
       */
      let frames = 0;
      let screen = { widthPx: 0, heightPx: 0 };
      const colourTableBytes = (flags: number) => ((flags & 0x80) !== 0 ? 3 * (2 << (flags & 0x07)) : 0);
      const skipSubBlocks = (offset: number, then: (next: number) => void) =>
        reader.expect(offset, 1, (size) => {
          if (size[0] === 0) then(offset + 1);
          else skipSubBlocks(offset + 1 + size[0]!, then);
        });
      const readBlock = (offset: number): void =>
        reader.expect(offset, 1, (introducer) => {
          switch (introducer[0]) {
            case 0x3b:
              endOffset = offset + 1;
              return;
            case 0x21:
              return skipSubBlocks(offset + 2, readBlock);
            case 0x2c:
              return reader.expect(offset + 1, 9, (descriptor) => {
                checkFrames(++frames);
                const left = descriptor[0]! | (descriptor[1]! << 8);
                const top = descriptor[2]! | (descriptor[3]! << 8);
                const widthPx = descriptor[4]! | (descriptor[5]! << 8);
                const heightPx = descriptor[6]! | (descriptor[7]! << 8);
                checkPixels("frame", widthPx, heightPx);
                if (left + widthPx > screen.widthPx || top + heightPx > screen.heightPx) throw malformed("a frame lies outside the logical screen");
                // After the local colour table: the LZW minimum code size, then the data sub-blocks.
                skipSubBlocks(offset + 10 + colourTableBytes(descriptor[8]!) + 1, readBlock);
              });
            default:
              throw malformed(`unknown block 0x${introducer[0]!.toString(16)} at byte ${offset}`);
          }
        });
      reader.expect(6, 7, (screenDescriptor) => {
        screen = { widthPx: screenDescriptor[0]! | (screenDescriptor[1]! << 8), heightPx: screenDescriptor[2]! | (screenDescriptor[3]! << 8) };
        checkPixels("logical screen", screen.widthPx, screen.heightPx);
        readBlock(13 + colourTableBytes(screenDescriptor[4]!));
      });
      complete = () => {
        if (frames === 0) throw malformed("no image");
      };
      break;
    }
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
      if (mediaType === "gif" && endOffset === undefined) throw truncated("no GIF trailer");
      if (endOffset === Number.POSITIVE_INFINITY) {
        complete();
        return inspection;
      }
      if (mediaType === "png" && endOffset === undefined) throw truncated("no IEND chunk");
      complete();
      checkEnd(total);
      return inspection;
    },
  };
}

function readUint24LE(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16);
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
