/**
 * The proof-carrying bundle of a large edition: built from a real Anvil chain holding an edition of
 * `serials` tokens (minted in batches, each moved once), then verified offline against the pinned block's
 * true hash (--trust-block) with no network. Reports the bundle's size (and what it is made of) and the
 * offline verification's time. Used by bench:provenance (runProvenanceBench.ts).
 */
import type { Hex, PublicClient } from "viem";

import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, http } from "viem";

import { createStoreContentSource } from "../../server/audit/createStoreContentSource.js";
import { createEmbeddedStore } from "../../server/storage/embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../../server/storage/metadata/buildEditionMetadata.js";
import { buildProvenanceBundle } from "vermilion-verify/bundle/buildProvenanceBundle.js";
import { openProvenanceBundle } from "vermilion-verify/bundle/openProvenanceBundle.js";
import { createRpcChainReader } from "vermilion-verify/createRpcChainReader.js";
import { createVerificationSession } from "vermilion-verify/createVerificationSession.js";
import { verifyEdition } from "vermilion-verify/verifyEdition.js";
import { samplePng } from "../../test/storage/mediaSamples.js";
import { buildTransferChain } from "../chain/buildTransferChain.js";

export interface ProofBundleResults {
  serials: number;
  /** Blocks of the chain, from genesis to the pinned block. */
  chainBlocks: number;
  buildSeconds: number;
  carBytes: number;
  /** The root block (JSON: answers, headers, block bodies, state proofs) and the content blocks. */
  rootBytes: number;
  headers: { count: number; bytes: number };
  blockBodies: { count: number; bytes: number };
  stateProofBytes: number;
  /** Recorded answers (version 3 keeps only the unproven ones). */
  answers: { count: number; bytes: number };
  /** Chain answers the offline verification derived from the proofs. */
  provenAnswers: number;
  /** The metadata and media blocks the verification read (the CAR less its root block). */
  contentBytes: number;
  unprovenClaims: number;
  /** Opening (every proof checked) plus verifying every serial, offline, with --trust-block. */
  offlineVerifySeconds: number;
  openSeconds: number;
  verdict: string;
  proofsCheck: string;
  failingChecks: string[];
}

const hexBytes = (values: readonly string[]) => values.reduce((sum, value) => sum + (value.length - 2) / 2, 0);

export async function measureProofBundle(parameters: { serials: number; log: (message: string) => void }): Promise<ProofBundleResults> {
  const { serials, log } = parameters;
  const storeDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-bench-bundle-"));
  const store = await createEmbeddedStore({ dataDir: storeDir, syncWrites: false });
  try {
    const png = samplePng(16, 16);
    const media = await store.addFile({ content: png });
    const metadata = await buildEditionMetadata(
      { store },
      {
        edition: {
          collection: "Bench",
          editionId: 1,
          title: "Bench Edition",
          description: "A 10,000-serial edition for the bundle benchmark.",
          maxSupply: serials,
          issuer: "0x00000000000000000000000000000000000000aa",
          license: "CC-BY-4.0",
          created: "2026-01-01T00:00:00Z",
          media: { cid: media.cid.toString(), sha256: createHash("sha256").update(png).digest("hex"), kind: "image" },
        },
      },
    );
    const chain = await buildTransferChain({
      tokens: serials,
      hops: 1,
      metadataCid: metadata.metadataCid.toString(),
      media: { cid: media.cid.toString(), sha256: `0x${createHash("sha256").update(png).digest("hex")}` },
      log,
    });
    try {
      const client = createPublicClient({ transport: http(chain.anvil.rpcUrl) }) as PublicClient;
      // Small log ranges: 20,000 Transfer logs in one eth_getLogs answer exceed viem's response size limit.
      const reader = await createRpcChainReader(client, { logRangeBlocks: 10n });
      const content = createStoreContentSource(store);
      let started = performance.now();
      const { car } = await buildProvenanceBundle({
        chain: reader,
        content,
        factory: chain.chain.factoryAddress,
        factoryFromBlock: chain.chain.factoryBlock,
        contract: chain.collection,
        editionId: chain.editionId,
        proofs: { client },
      });
      const buildSeconds = (performance.now() - started) / 1000;
      log(`bundle of ${serials} serials built in ${buildSeconds.toFixed(1)} s: ${(car.byteLength / 1e6).toFixed(2)} MB`);

      // Offline from here: the bundle and the pinned block's true hash, nothing else.
      const trustedBlockHash = reader.pinnedBlock.hash as Hex;
      started = performance.now();
      const opened = await openProvenanceBundle(car, "bench", { trustedBlockHash });
      const openSeconds = (performance.now() - started) / 1000;
      const report = await verifyEdition(
        createVerificationSession({ chain: opened.chain, content: opened.content, factory: chain.chain.factoryAddress, factoryFromBlock: chain.chain.factoryBlock }, chain.collection),
        { editionId: chain.editionId },
      );
      const proofsCheck = opened.proofs!.check();
      const offlineVerifySeconds = (performance.now() - started) / 1000;
      log(`verified offline in ${offlineVerifySeconds.toFixed(1)} s (opening ${openSeconds.toFixed(1)} s): verdict ${report.verdict}, bundle.proofs ${proofsCheck.status}`);

      const proofs = opened.bundle.proofs!;
      const rootBytes = new TextEncoder().encode(JSON.stringify(opened.bundle)).byteLength;
      const answersBytes = new TextEncoder().encode(JSON.stringify(opened.bundle.answers)).byteLength;
      const failing = new Set<string>();
      for (const entry of [...report.checks, ...report.reports.flatMap((token) => token.checks)]) if (entry.status === "fail") failing.add(`${entry.name}: ${entry.failure?.code}`);
      return {
        serials,
        chainBlocks: Number(reader.pinnedBlock.number) + 1,
        buildSeconds,
        carBytes: car.byteLength,
        rootBytes,
        headers: { count: proofs.headers.length, bytes: hexBytes(proofs.headers) },
        blockBodies: { count: proofs.blocks.length, bytes: proofs.blocks.reduce((sum, body) => sum + hexBytes(body.receipts) + hexBytes(body.transactions), 0) },
        stateProofBytes: proofs.state === null ? 0 : new TextEncoder().encode(JSON.stringify(proofs.state)).byteLength,
        answers: { count: opened.bundle.answers.length, bytes: answersBytes },
        provenAnswers: Number(proofsCheck.evidence.provenAnswers),
        contentBytes: car.byteLength - rootBytes,
        unprovenClaims: proofs.unproven.length,
        offlineVerifySeconds,
        openSeconds,
        verdict: report.verdict,
        proofsCheck: proofsCheck.status === "pass" ? "pass" : `fail: ${proofsCheck.failure?.code}`,
        failingChecks: [...failing],
      };
    } finally {
      await chain.anvil.stop();
    }
  } finally {
    await store.close();
    await rm(storeDir, { recursive: true, force: true });
  }
}
