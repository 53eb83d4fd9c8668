/**
 * Content-layer benchmark: how fast we compute Kubo-identical CIDs compared with a plain SHA-256
 * of the same bytes, how fast the embedded store ingests to disk, and how long a 10,000-serial
 * metadata directory takes to build. Writes bench/results/content.json and prints a table.
 *
 * Run: npm run bench:content  (optional: BENCH_FILE_MB=100 BENCH_SERIALS=10000)
 */
import { createCipheriv, createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { addDirectory } from "../../server/storage/addDirectory.js";
import { addFile, discardingBlockstore } from "../../server/storage/addFile.js";
import { createEmbeddedStore } from "../../server/storage/embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../../server/storage/metadata/buildEditionMetadata.js";
import { canonicalJson } from "../../server/storage/metadata/canonicalJson.js";
import { buildTokenMetadata, parseEditionMetadataInput } from "../../server/storage/metadata/tokenMetadata.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";

const fileMegabytes = Number(process.env.BENCH_FILE_MB ?? 100);
const serialCount = Number(process.env.BENCH_SERIALS ?? 10_000);
const repeats = 3;

type Row = { name: string; milliseconds: number; megabytesPerSecond?: number; note?: string };

function deterministicBytes(sizeBytes: number): Uint8Array {
  const key = createHash("sha256").update("vermilion-bench").digest();
  return createCipheriv("chacha20", key, Buffer.alloc(16)).update(Buffer.alloc(sizeBytes));
}

function* chunksOf(bytes: Uint8Array, chunkBytes = 64 * 1024): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) yield bytes.subarray(offset, offset + chunkBytes);
}

async function median(run: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const edition = {
  collection: "Bench",
  editionId: 1,
  title: "Bench Edition",
  description: "Benchmark edition.",
  maxSupply: serialCount,
  issuer: "0x00000000000000000000000000000000000000aa",
  license: "CC-BY-4.0",
  created: "2026-01-01T00:00:00Z",
  media: { cid: "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", sha256: "0".repeat(64), kind: "image" as const },
  externalUrlTemplate: "https://vermilion.example/editions/{editionId}/{serial}",
};

async function main(): Promise<void> {
  const rows: Row[] = [];
  const bytes = deterministicBytes(fileMegabytes * 1024 * 1024);
  const mb = bytes.byteLength / (1024 * 1024);
  const rate = (ms: number) => Math.round((mb / (ms / 1000)) * 10) / 10;

  const shaMs = await median(async () => {
    const hash = createHash("sha256");
    for (const chunk of chunksOf(bytes)) hash.update(chunk);
    hash.digest();
  });
  rows.push({ name: `SHA-256 of ${mb} MiB (node:crypto)`, milliseconds: shaMs, megabytesPerSecond: rate(shaMs) });

  const cidMs = await median(async () => {
    await addFile({ blockstore: discardingBlockstore }, { content: chunksOf(bytes) });
  });
  rows.push({ name: `CID of ${mb} MiB (ipfs add --cid-version=1, no storage)`, milliseconds: cidMs, megabytesPerSecond: rate(cidMs) });

  const dataDir = await mkdtemp(join(tmpdir(), "vermilion-bench-"));
  try {
    const store = await createEmbeddedStore({ dataDir });
    let started = performance.now();
    await store.addFile({ content: chunksOf(bytes) });
    const diskMs = performance.now() - started;
    rows.push({ name: `Embedded store addFile ${mb} MiB (to disk)`, milliseconds: diskMs, megabytesPerSecond: rate(diskMs) });

    const input = parseEditionMetadataInput(edition);
    const documents = () =>
      Array.from({ length: serialCount }, (_, i) => ({ path: `${i + 1}.json`, content: new TextEncoder().encode(canonicalJson(buildTokenMetadata(input, i + 1))) }));
    const dirCidMs = await median(async () => {
      await addDirectory({ blockstore: discardingBlockstore }, { entries: documents() });
    });
    rows.push({ name: `${serialCount}-serial metadata directory, CID only`, milliseconds: dirCidMs, note: "HAMT-sharded" });

    started = performance.now();
    await buildEditionMetadata({ store }, { edition, pin: { label: "bench" } });
    const dirDiskMs = performance.now() - started;
    rows.push({ name: `${serialCount}-serial metadata directory, built, stored and pinned`, milliseconds: dirDiskMs, note: "fsync per block" });

    const unsyncedDir = await mkdtemp(join(tmpdir(), "vermilion-bench-"));
    try {
      const unsynced = await createEmbeddedStore({ dataDir: unsyncedDir, syncWrites: false });
      started = performance.now();
      await buildEditionMetadata({ store: unsynced }, { edition, pin: { label: "bench" } });
      rows.push({ name: `${serialCount}-serial metadata directory, built, stored and pinned`, milliseconds: performance.now() - started, note: "syncWrites: false" });
      await unsynced.close();
    } finally {
      await rm(unsyncedDir, { recursive: true, force: true });
    }
    await store.close();

    // Startup of the embedded store over the data just written (no network, nothing to load).
    const openMs = await median(async () => {
      const reopened = await createEmbeddedStore({ dataDir });
      await reopened.close();
    });
    rows.push({ name: "Embedded store open (existing data dir)", milliseconds: openMs });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }

  const result = {
    benchmark: "content",
    recordedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    fileMegabytes: mb,
    serialCount,
    repeats,
    rows: rows.map((row) => ({ ...row, milliseconds: Math.round(row.milliseconds * 10) / 10 })),
    cidOverSha256Ratio: Math.round((cidMs / shaMs) * 100) / 100,
  };
  await mkdir(new URL("../results/", import.meta.url), { recursive: true });
  await writeFile(new URL("../results/content.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  console.table(result.rows);
  console.log(`CID / SHA-256 time ratio: ${result.cidOverSha256Ratio}`);
  await writeBenchmarksReport(fileURLToPath(new URL("../..", import.meta.url)));
}

await main();
