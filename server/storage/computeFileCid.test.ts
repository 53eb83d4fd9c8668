import type { ImportProfile } from "vermilion-verify/shared/importProfiles.js";

import { createCipheriv, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { addFile, discardingBlockstore } from "vermilion-verify/shared/addFile.js";
import { computeFileCid } from "./computeFileCid.js";
import { KUBO_CHUNK_SIZE_BYTES, KUBO_MAX_LINKS_PER_NODE } from "vermilion-verify/shared/importProfiles.js";
import { unevenSlices } from "../../test/storage/unevenSlices.js";

type KuboVector = { name: string; data: { utf8: string } | { chacha20: { seed: string; size: number } }; settings: ImportProfile; cid: string };

const vectors = (
  JSON.parse(readFileSync(new URL("../../test/fixtures/kubo-cid-vectors.json", import.meta.url), "utf8")) as { vectors: KuboVector[] }
).vectors;

function chacha20Bytes(seed: string, size: number): Uint8Array {
  const key = createHash("sha256").update(seed, "utf8").digest();
  return createCipheriv("chacha20", key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

describe("computeFileCid gives the CID addFile (and Kubo) gives", () => {
  test.each(vectors.filter((vector) => "utf8" in vector.data).map((vector) => [vector.name, vector] as const))(
    "Kubo vector: %s",
    async (_name, vector) => {
      const bytes = new TextEncoder().encode((vector.data as { utf8: string }).utf8);

      const { cid, sizeBytes } = await computeFileCid({ content: bytes, profile: vector.settings });

      expect(cid.toString()).toBe(vector.cid);
      expect(sizeBytes).toBe(BigInt(bytes.byteLength));
    },
  );

  // Kubo's own vectors for --cid-version=1 are single-block; these sizes cover one leaf, one full layer of
  // links, and a second layer, checked against the importer that the Kubo vectors pin down.
  test.each([
    ["one chunk", KUBO_CHUNK_SIZE_BYTES],
    ["one byte over one chunk", KUBO_CHUNK_SIZE_BYTES + 1],
    ["exactly one full layer of links", KUBO_CHUNK_SIZE_BYTES * KUBO_MAX_LINKS_PER_NODE],
    ["one byte over one layer (two-level DAG)", KUBO_CHUNK_SIZE_BYTES * KUBO_MAX_LINKS_PER_NODE + 1],
  ])("kubo-v1, %s, fed in uneven slices", async (_name, size) => {
    const bytes = chacha20Bytes("compute-file-cid", size);
    const expected = await addFile({ blockstore: discardingBlockstore }, { content: bytes, profile: "kubo-v1" });

    const computed = await computeFileCid({ content: unevenSlices(bytes) });

    expect(computed.cid.toString()).toBe(expected.cid.toString());
    expect(computed.sizeBytes).toBe(expected.sizeBytes);
    expect(computed.dagSizeBytes).toBe(expected.dagSizeBytes);
  });
});
