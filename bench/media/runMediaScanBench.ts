/**
 * How long the upload path holds the event loop: the streaming scan per 64 KiB chunk for large files
 * of each walked structure, and the event loop's longest stall while sharp and the GLB JSON worker run.
 * Writes bench/results/media.json and rebuilds docs/benchmarks.md.
 */
import type { MediaScanResults, ScanCase } from "./mediaScanResults.js";

import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

import sharp from "sharp";

import { checkGlbJson, closeGlbJsonWorkers } from "../../server/storage/media/checkGlbJson.js";
import { createMediaScan } from "../../server/storage/media/createMediaScan.js";
import { createThumbnail } from "../../server/storage/media/createThumbnail.js";
import { quantile, spreadOf } from "../support/stats.js";
import { benchVersions } from "../support/versions.js";
import { pngChunk } from "../../test/storage/mediaSamples.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CHUNK_BYTES = 64 * 1024;
const MiB = 1024 * 1024;
const root = path.resolve(import.meta.dirname, "..", "..");

/** Big files whose structure makes the walk work: many boxes, chunks, blocks. */
function samples(): Array<{ name: string; bytes: Buffer }> {
  const box = (type: string, payload: Buffer) => {
    const size = Buffer.alloc(4);
    size.writeUInt32BE(8 + payload.byteLength);
    return Buffer.concat([size, Buffer.from(type, "latin1"), payload]);
  };
  const mp4 = Buffer.concat([
    box("ftyp", Buffer.from("isom\x00\x00\x02\x00isomiso2avc1mp41", "latin1")),
    box("moov", box("mvhd", Buffer.alloc(100))),
    box("mdat", Buffer.alloc(200 * MiB - 200, 7)),
  ]);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(4096, 0);
  header.writeUInt32BE(4096, 4);
  header[8] = 8;
  header[9] = 6;
  const idat = pngChunk("IDAT", Buffer.alloc(8 * 1024, 1));
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    ...Array.from({ length: (50 * MiB) / idat.byteLength }, () => idat),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
  // A GIF's data comes in sub-blocks of at most 255 bytes: the walk's worst case per byte.
  const subBlock = Buffer.concat([Buffer.from([255]), Buffer.alloc(255, 1)]);
  const frame = Buffer.concat([Buffer.from([0x2c, 0, 0, 0, 0, 0, 1, 0, 1, 0, 8]), ...Array.from({ length: 200 }, () => subBlock), Buffer.from([0])]);
  const gif = Buffer.concat([
    Buffer.from("GIF89a", "latin1"),
    Buffer.from([0, 1, 0, 1, 0, 0, 0]),
    ...Array.from({ length: Math.floor((50 * MiB) / frame.byteLength) }, () => frame),
    Buffer.from([0x3b]),
  ]);
  return [
    { name: "MP4, one 200 MiB mdat", bytes: mp4 },
    { name: "PNG, 8 KiB IDAT chunks", bytes: png },
    { name: "GIF, 255-byte sub-blocks, 1,000 frames", bytes: gif },
  ];
}

function scanOnce(bytes: Buffer): { chunkMs: number[]; totalMs: number } {
  const scan = createMediaScan({ sizeLimits: { mp4: 256 * MiB, png: 256 * MiB, gif: 256 * MiB } });
  const chunkMs: number[] = [];
  const started = performance.now();
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_BYTES) {
    const chunk = bytes.subarray(offset, offset + CHUNK_BYTES);
    const chunkStarted = performance.now();
    scan.update(chunk);
    chunkMs.push(performance.now() - chunkStarted);
  }
  scan.finish();
  return { chunkMs, totalMs: performance.now() - started };
}

function sha256Once(bytes: Buffer): { totalMs: number; maxChunkMs: number } {
  const started = performance.now();
  const hash = createHash("sha256");
  let maxChunkMs = 0;
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_BYTES) {
    const chunkStarted = performance.now();
    hash.update(bytes.subarray(offset, offset + CHUNK_BYTES));
    maxChunkMs = Math.max(maxChunkMs, performance.now() - chunkStarted);
  }
  hash.digest();
  return { totalMs: performance.now() - started, maxChunkMs };
}

async function offLoop(name: string, work: () => Promise<unknown>): Promise<{ name: string; checkMs: number; maxEventLoopDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  await work();
  const checkMs = performance.now() - started;
  histogram.disable();
  return { name, checkMs, maxEventLoopDelayMs: histogram.max / 1e6 };
}

const directory = await mkdtemp(path.join(os.tmpdir(), "vermilion-media-bench-"));
try {
  const files = samples();
  const scans: ScanCase[] = [];
  for (const { name, bytes } of files) {
    const maxChunk: number[] = [];
    const p99Chunk: number[] = [];
    const ratios: number[] = [];
    const sha256MaxChunk: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { chunkMs, totalMs } = scanOnce(bytes);
      maxChunk.push(Math.max(...chunkMs));
      p99Chunk.push(quantile(chunkMs, 0.99));
      const sha256 = sha256Once(bytes);
      ratios.push(sha256.totalMs / totalMs);
      sha256MaxChunk.push(sha256.maxChunkMs);
    }
    scans.push({
      name,
      sizeMiB: Math.round(bytes.byteLength / MiB),
      maxChunkMs: spreadOf(maxChunk),
      p99ChunkMs: spreadOf(p99Chunk, 3),
      sha256MaxChunkMs: spreadOf(sha256MaxChunk),
      throughputVsSha256: spreadOf(ratios),
    });
    console.log(scans.at(-1));
  }

  const photo = path.join(directory, "photo.png");
  await sharp({ create: { width: 6000, height: 6000, channels: 3, background: "#c8352a" } }).png().toFile(photo);
  const json = `{"asset":{"version":"2.0"},"extras":[${"1,".repeat(8 * MiB - 1)}1]}`;
  const glbPath = path.join(directory, "model.json");
  await writeFile(glbPath, Buffer.concat([Buffer.alloc(20), Buffer.from(json)]));
  const checks: Record<string, { checkMs: number[]; maxEventLoopDelayMs: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const measured of [
      // What the machine's own noise gives the same measurement (other processes share its two cores).
      await offLoop("nothing (idle baseline, 2 s)", () => new Promise((resolve) => setTimeout(resolve, 2_000))),
      await offLoop("sharp thumbnail of a 36 MP PNG", () => createThumbnail({ input: photo, mediaType: "png", maxSourceMegapixels: 40 })),
      await offLoop("GLB JSON chunk of 16 MiB in the worker", () => checkGlbJson({ path: glbPath, offsetBytes: 20, lengthBytes: Buffer.byteLength(json) })),
    ]) {
      const entry = (checks[measured.name] ??= { checkMs: [], maxEventLoopDelayMs: [] });
      entry.checkMs.push(measured.checkMs);
      entry.maxEventLoopDelayMs.push(measured.maxEventLoopDelayMs);
    }
  }
  await closeGlbJsonWorkers();
  const results: MediaScanResults = {
    generatedAt: new Date().toISOString(),
    command: "npm run bench:media",
    versions: await benchVersions(),
    rounds: ROUNDS,
    scans,
    offLoop: Object.entries(checks).map(([name, entry]) => ({ name, checkMs: spreadOf(entry.checkMs, 0), maxEventLoopDelayMs: spreadOf(entry.maxEventLoopDelayMs, 1) })),
  };
  console.log(results.offLoop);
  await writeFile(path.join(root, "bench", "results", "media.json"), `${JSON.stringify(results, null, 2)}\n`);
  await writeBenchmarksReport(root);
} finally {
  await rm(directory, { recursive: true, force: true });
}
