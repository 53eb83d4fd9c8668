import type { CID } from "multiformats/cid";

import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as dagPb from "@ipld/dag-pb";
import { describe, expect, test } from "vitest";
import { FileBlockstore } from "../embedded/fileBlockstore.js";
import { createEmbeddedStore } from "../embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../metadata/buildEditionMetadata.js";
import { startBitswapNode } from "./startBitswapNode.js";

const run = promisify(execFile);
const collectorScript = fileURLToPath(new URL("../../../test/storage/collectorNode.ts", import.meta.url));

function dialable(node: { multiaddrs: string[]; peerId: string }): string {
  return node.multiaddrs.find((address) => address.includes("/p2p/")) ?? `${node.multiaddrs[0]}/p2p/${node.peerId}`;
}

describe("startBitswapNode", () => {
  test("a node serving a block with one flipped bit is caught: the collector never outputs forged media", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "vermilion-bitswap-"));
    const media = randomBytes(700_000);
    const honest = await createEmbeddedStore({ dataDir, syncWrites: false });
    const mediaCid = (await honest.addFile({ content: media })).cid;
    const { cid: metadataCid } = await honest.addDirectory({ entries: [{ path: "1.json", content: Buffer.from("{}") }] });
    const victim = dagPb.decode(await honest.getBlock(mediaCid)).Links[0]!.Hash;
    await honest.close();
    class LyingBlockstore extends FileBlockstore {
      override async *get(cid: CID, options?: { signal?: AbortSignal }): AsyncGenerator<Uint8Array> {
        for await (const bytes of super.get(cid, options)) {
          const copy = Uint8Array.from(bytes);
          if (cid.equals(victim)) copy[99]! ^= 0x01;
          yield copy;
        }
      }
    }
    const node = await startBitswapNode({ blockstore: new LyingBlockstore(join(dataDir, "blocks")) });

    try {
      const request = JSON.stringify({ peer: dialable(node), metadataCid: metadataCid.toString(), serial: 1, mediaCid: mediaCid.toString(), timeoutMs: 4_000 });

      const outcome = await run(process.execPath, ["--import", "tsx", collectorScript, request], { timeout: 60_000 }).then(
        ({ stdout }) => ({ exited: 0, stdout }),
        (error: { code?: number; stdout?: string }) => ({ exited: error.code ?? 1, stdout: error.stdout ?? "" }),
      );

      expect(outcome.exited).not.toBe(0);
      expect(outcome.stdout).not.toContain("mediaSha256");
    } finally {
      await node.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test("a second IPFS node in another process fetches a minted edition's metadata and media over bitswap, verified", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "vermilion-bitswap-"));
    const store = await createEmbeddedStore({ dataDir, syncWrites: false });
    const media = randomBytes(700_000);
    const mediaCid = (await store.addFile({ content: media, pin: { label: "media" } })).cid;
    const { metadataCid } = await buildEditionMetadata(
      { store },
      {
        edition: {
          collection: "Vermilion Genesis",
          editionId: 3,
          title: "Night Bloom",
          description: "Served over bitswap.",
          maxSupply: 50,
          issuer: "0x00000000000000000000000000000000000000aa",
          license: "CC-BY-4.0",
          created: "2026-11-29T10:00:00Z",
          media: { cid: mediaCid.toString(), sha256: createHash("sha256").update(media).digest("hex"), kind: "image" },
        },
      },
    );
    const node = await startBitswapNode({ blockstore: store.blockstore });

    try {
      expect(node.multiaddrs.every((address) => address.startsWith("/ip4/127.0.0.1/"))).toBe(true);
      const request = JSON.stringify({ peer: dialable(node), metadataCid: metadataCid.toString(), serial: 42, mediaCid: mediaCid.toString() });

      const { stdout } = await run(process.execPath, ["--import", "tsx", collectorScript, request], { timeout: 60_000 });

      const fetched = JSON.parse(stdout.trim().split("\n").at(-1)!) as { metadata: string; mediaSha256: string; mediaBytes: number };
      expect(JSON.parse(fetched.metadata)).toMatchObject({ name: "Night Bloom #42", image: `ipfs://${mediaCid.toString()}` });
      expect(fetched.mediaBytes).toBe(media.byteLength);
      expect(fetched.mediaSha256).toBe(createHash("sha256").update(media).digest("hex"));
    } finally {
      await node.stop();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
