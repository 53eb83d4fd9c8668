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
import { addFile, discardingBlockstore } from "vermilion-verify/shared/addFile.js";
import { computeFileCid } from "../../server/storage/computeFileCid.js";
import { createEmbeddedStore } from "../../server/storage/embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../../server/storage/metadata/buildEditionMetadata.js";
import { canonicalJson } from "vermilion-verify/shared/canonicalJson.js";
import { buildTokenMetadata, parseEditionMetadataInput } from "../../server/storage/metadata/tokenMetadata.js";
import { spreadOf, type Spread } from "../support/stats.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";

const fileMegabytes = Number(process.env.BENCH_FILE_MB ?? 100);
const serialCount = Number(process.env.BENCH_SERIALS ?? 10_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);

type Row = { name: string; milliseconds: Spread; megabytesPerSecond?: Spread; note?: string };

function deterministicBytes(sizeBytes: number): Uint8Array {
  const key = createHash("sha256").update("vermilion-bench").digest();
  return createCipheriv("chacha20", key, Buffer.alloc(16)).update(Buffer.alloc(sizeBytes));
}

function* chunksOf(bytes: Uint8Array, chunkBytes = 64 * 1024): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) yield bytes.subarray(offset, offset + chunkBytes);
}

async function timed(run: () => Promise<void>, times = repeats): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
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
  const rates = (samples: number[]) => spreadOf(samples.map((ms) => mb / (ms / 1000)), 1);

  // Correctness first: the fast path must give the importer's CID (which the Kubo vector tests pin down).
  const expected = await addFile({ blockstore: discardingBlockstore }, { content: chunksOf(bytes) });
  const computed = await computeFileCid({ content: chunksOf(bytes) });
  if (!computed.cid.equals(expected.cid)) throw new Error(`computeFileCid gave ${computed.cid} but the importer ${expected.cid}`);

  // SHA-256 and CID runs alternate, so drift in machine load hits both alike; the ratio is taken per pair.
  const shaSamples: number[] = [];
  const cidSamples: number[] = [];
  for (let run = 0; run < repeats; run++) {
    shaSamples.push(
      ...(await timed(async () => {
        const hash = createHash("sha256");
        for (const chunk of chunksOf(bytes)) hash.update(chunk);
        hash.digest();
      }, 1)),
    );
    cidSamples.push(
      ...(await timed(async () => {
        const { cid } = await computeFileCid({ content: chunksOf(bytes) });
        if (!cid.equals(expected.cid)) throw new Error("CID changed between runs");
      }, 1)),
    );
  }
  rows.push({ name: `SHA-256 of ${mb} MiB (node:crypto)`, milliseconds: spreadOf(shaSamples, 1), megabytesPerSecond: rates(shaSamples) });
  rows.push({
    name: `CID of ${mb} MiB (ipfs add --cid-version=1, \`computeFileCid\`)`,
    milliseconds: spreadOf(cidSamples, 1),
    megabytesPerSecond: rates(cidSamples),
    note: expected.cid.toString(),
  });
  const importerSamples = await timed(async () => {
    await addFile({ blockstore: discardingBlockstore }, { content: chunksOf(bytes) });
  });
  rows.push({
    name: `CID of ${mb} MiB through the UnixFS importer, blocks discarded`,
    milliseconds: spreadOf(importerSamples, 1),
    megabytesPerSecond: rates(importerSamples),
  });
  const cidThroughputVsSha256 = spreadOf(shaSamples.map((sha, index) => sha / cidSamples[index]!), 2);

  // Writes go to a fresh store each run: a second write of the same blocks to one store would find them
  // already there and measure deduplication instead. Fewer runs than the in-memory rows (each is seconds).
  const storeRepeats = Math.min(repeats, 3);
  const inFreshStore = async (options: { syncWrites?: boolean }, work: (store: Awaited<ReturnType<typeof createEmbeddedStore>>) => Promise<void>) => {
    const dir = await mkdtemp(join(tmpdir(), "vermilion-bench-"));
    try {
      const store = await createEmbeddedStore({ dataDir: dir, ...options });
      try {
        const started = performance.now();
        await work(store);
        return performance.now() - started;
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const diskSamples: number[] = [];
  for (let run = 0; run < storeRepeats; run++) {
    diskSamples.push(
      await inFreshStore({}, async (store) => {
        const added = await store.addFile({ content: chunksOf(bytes) });
        if (!added.cid.equals(expected.cid)) throw new Error(`embedded store stored ${added.cid}, expected ${expected.cid}`);
      }),
    );
  }
  rows.push({ name: `Embedded store addFile ${mb} MiB (to disk)`, milliseconds: spreadOf(diskSamples, 1), megabytesPerSecond: rates(diskSamples), note: `${storeRepeats} runs, a fresh store each` });

  const input = parseEditionMetadataInput(edition);
  const documents = () =>
    Array.from({ length: serialCount }, (_, i) => ({ path: `${i + 1}.json`, content: new TextEncoder().encode(canonicalJson(buildTokenMetadata(input, i + 1))) }));
  const dirCidSamples = await timed(async () => {
    await addDirectory({ blockstore: discardingBlockstore }, { entries: documents() });
  });
  rows.push({ name: `${serialCount}-serial metadata directory, CID only`, milliseconds: spreadOf(dirCidSamples, 1), note: "HAMT-sharded" });

  const expectedDirectory = await addDirectory({ blockstore: discardingBlockstore }, { entries: documents() });
  for (const syncWrites of [true, false]) {
    const samples: number[] = [];
    for (let run = 0; run < storeRepeats; run++) {
      samples.push(
        await inFreshStore({ syncWrites }, async (store) => {
          const built = await buildEditionMetadata({ store }, { edition, pin: { label: "bench" } });
          if (!built.metadataCid.equals(expectedDirectory.cid) || built.documentCount !== serialCount) {
            throw new Error(`stored directory ${built.metadataCid} (${built.documentCount} documents) differs from ${expectedDirectory.cid}`);
          }
        }),
      );
    }
    rows.push({
      name: `${serialCount}-serial metadata directory, built, stored and pinned`,
      milliseconds: spreadOf(samples, 1),
      note: `${syncWrites ? "fsync per block" : "syncWrites: false"}; ${storeRepeats} runs, a fresh store each`,
    });
  }

  // Startup of the embedded store over data already written (no network, nothing to load).
  const dataDir = await mkdtemp(join(tmpdir(), "vermilion-bench-"));
  try {
    const store = await createEmbeddedStore({ dataDir });
    await buildEditionMetadata({ store }, { edition, pin: { label: "bench" } });
    await store.close();
    const openSamples = await timed(async () => {
      const reopened = await createEmbeddedStore({ dataDir });
      await reopened.close();
    });
    rows.push({ name: "Embedded store open (existing data dir)", milliseconds: spreadOf(openSamples, 2) });
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
    command: "npm run bench:content",
    rows,
    cidThroughputVsSha256,
  };
  await mkdir(new URL("../results/", import.meta.url), { recursive: true });
  await writeFile(new URL("../results/content.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  console.table(result.rows.map((row) => ({ name: row.name, ...row.milliseconds })));
  console.log(`CID throughput / SHA-256 throughput: ${JSON.stringify(cidThroughputVsSha256)}`);
  await writeBenchmarksReport(fileURLToPath(new URL("../..", import.meta.url)));
}

await main();
