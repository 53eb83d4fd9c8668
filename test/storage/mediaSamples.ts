import { crc32, deflateSync } from "node:zlib";

/** Small but structurally valid samples of every accepted media type, built in code for tests. */

/** One PNG chunk: length, type, data and CRC-32. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.byteLength);
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** An RGBA PNG of the given size with a gradient, valid enough for any decoder. */
export function samplePng(width = 4, height = 4): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < width; x++) rows.push((x * 40) & 0xff, (y * 40) & 0xff, 128, 255);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.from(rows))),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}

/** A JPEG frame header (SOF0) declaring the given size, three components. */
export function jpegFrameHeader(widthPx: number, heightPx: number): Buffer {
  return Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, heightPx >> 8, heightPx & 0xff, widthPx >> 8, widthPx & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
}

export function sampleJpeg(frameHeader = jpegFrameHeader(1, 1), scanBytes = 100): Buffer {
  // SOI, an APP0/JFIF segment, the frame header, a scan header, filler standing in for scan data, EOI.
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, frameHeader, sos, Buffer.alloc(scanBytes, 0x11), Buffer.from([0xff, 0xd9])]);
}

export function sampleGif(comment = ""): Buffer {
  const commentBlock =
    comment === "" ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x21, 0xfe, comment.length]), Buffer.from(comment, "latin1"), Buffer.from([0x00])]);
  return Buffer.concat([
    Buffer.from("GIF89a", "latin1"),
    Buffer.from([0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00]),
    Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff, 0xff]),
    commentBlock,
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00]),
    Buffer.from([0x3b]),
  ]);
}

export function sampleWebp(): Buffer {
  const payload = Buffer.concat([Buffer.from("VP8L", "latin1"), Buffer.from([0x40, 0, 0, 0]), Buffer.alloc(64, 0x2f)]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + payload.byteLength);
  return Buffer.concat([Buffer.from("RIFF", "latin1"), size, Buffer.from("WEBP", "latin1"), payload]);
}

function box(type: string, payload: Uint8Array): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + payload.byteLength);
  return Buffer.concat([size, Buffer.from(type, "latin1"), payload]);
}

export function sampleMp4(): Buffer {
  const ftyp = box("ftyp", Buffer.from("isom\x00\x00\x02\x00isomiso2avc1mp41", "latin1"));
  return Buffer.concat([ftyp, box("moov", box("mvhd", Buffer.alloc(100))), box("mdat", Buffer.alloc(4000, 7))]);
}

export function sampleWebm(): Buffer {
  const docType = Buffer.concat([Buffer.from([0x42, 0x82, 0x84]), Buffer.from("webm", "latin1")]);
  const ebmlBody = Buffer.concat([Buffer.from([0x42, 0x86, 0x81, 0x01]), docType]);
  const ebml = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | ebmlBody.byteLength]), ebmlBody]);
  const segmentBody = Buffer.alloc(3000, 3);
  const segmentSize = Buffer.from([0x01, 0, 0, 0, 0, 0, (segmentBody.byteLength >> 8) & 0xff, segmentBody.byteLength & 0xff]);
  return Buffer.concat([ebml, Buffer.from([0x18, 0x53, 0x80, 0x67]), segmentSize, segmentBody]);
}

export function sampleMp3(): Buffer {
  const tag = Buffer.concat([Buffer.from("ID3", "latin1"), Buffer.from([0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20]), Buffer.alloc(32, 0)]);
  const frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413, 0)]);
  return Buffer.concat([tag, frame, frame]);
}

export function sampleGlb(binBytes = 64): Buffer {
  let json = Buffer.from(JSON.stringify({ asset: { version: "2.0", generator: "vermilion-tests" }, buffers: [{ byteLength: binBytes }] }));
  json = Buffer.concat([json, Buffer.alloc((4 - (json.byteLength % 4)) % 4, 0x20)]);
  const chunkHeader = (length: number, type: number) => {
    const header = Buffer.alloc(8);
    header.writeUInt32LE(length, 0);
    header.writeUInt32LE(type, 4);
    return header;
  };
  const bin = Buffer.alloc(binBytes, 0xab);
  const total = 12 + 8 + json.byteLength + 8 + bin.byteLength;
  const header = Buffer.alloc(12);
  header.write("glTF", 0, "latin1");
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(total, 8);
  return Buffer.concat([header, chunkHeader(json.byteLength, 0x4e4f534a), json, chunkHeader(bin.byteLength, 0x004e4942), bin]);
}

/**
 * A PNG whose IHDR declares the given size, with `rows` (filtered scanlines) deflated as its one IDAT:
 * pass few or none for a header that lies, or all of them for a real (decompression-bomb) image.
 */
export function pngDeclaring(widthPx: number, heightPx: number, options: { bitDepth?: number; colourType?: number; rows?: Uint8Array } = {}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(widthPx, 0);
  header.writeUInt32BE(heightPx, 4);
  header[8] = options.bitDepth ?? 8;
  header[9] = options.colourType ?? 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(options.rows ?? Buffer.alloc(1), { level: 9 })),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}

/** A GIF of a 1×1 logical screen with `frames` images (or the given screen size and one image). */
export function gifWithFrames(frames: number, screen = { widthPx: 1, heightPx: 1 }): Buffer {
  const header = Buffer.from("GIF89a", "latin1");
  const logicalScreen = Buffer.from([screen.widthPx & 0xff, screen.widthPx >> 8, screen.heightPx & 0xff, screen.heightPx >> 8, 0x80, 0, 0]);
  const colours = Buffer.from([0, 0, 0, 0xff, 0xff, 0xff]);
  const frame = Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00]);
  return Buffer.concat([header, logicalScreen, colours, ...Array.from({ length: frames }, () => frame), Buffer.from([0x3b])]);
}

/** A WebP whose VP8X chunk declares a canvas of the given size (and nothing to draw on it). */
export function webpDeclaring(widthPx: number, heightPx: number): Buffer {
  const vp8x = Buffer.alloc(18);
  vp8x.write("VP8X", 0, "latin1");
  vp8x.writeUInt32LE(10, 4);
  vp8x.writeUIntLE(widthPx - 1, 12, 3);
  vp8x.writeUIntLE(heightPx - 1, 15, 3);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + vp8x.byteLength);
  return Buffer.concat([Buffer.from("RIFF", "latin1"), size, Buffer.from("WEBP", "latin1"), vp8x]);
}

/** A GLB with the given JSON chunk text (padded) and, if given, a header length and JSON chunk length that lie. */
export function glbWithJson(json: string, lie: { totalBytes?: number; jsonBytes?: number } = {}): Buffer {
  let jsonBytes = Buffer.from(json);
  jsonBytes = Buffer.concat([jsonBytes, Buffer.alloc((4 - (jsonBytes.byteLength % 4)) % 4, 0x20)]);
  const header = Buffer.alloc(20);
  header.write("glTF", 0, "latin1");
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(lie.totalBytes ?? 20 + jsonBytes.byteLength, 8);
  header.writeUInt32LE(lie.jsonBytes ?? jsonBytes.byteLength, 12);
  header.writeUInt32LE(0x4e4f534a, 16);
  return Buffer.concat([header, jsonBytes]);
}

/** An MP4 whose `mdat` box declares `declaredBytes` (a 64-bit size) over a few bytes of payload. */
export function mp4Declaring(declaredBytes: bigint): Buffer {
  const ftyp = box("ftyp", Buffer.from("isom\x00\x00\x02\x00isomiso2avc1mp41", "latin1"));
  const mdat = Buffer.alloc(16 + 64, 7);
  mdat.writeUInt32BE(1, 0);
  mdat.write("mdat", 4, "latin1");
  mdat.writeBigUInt64BE(declaredBytes, 8);
  return Buffer.concat([ftyp, box("moov", box("mvhd", Buffer.alloc(100))), mdat]);
}
