import type { ImportProfile } from "vermilion-verify/shared/importProfiles.js";

import { createCipheriv, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { addFile, discardingBlockstore } from "vermilion-verify/shared/addFile.js";
import { unevenSlices } from "../../test/storage/unevenSlices.js";

type KuboVector = {
  name: string;
  data: { utf8: string } | { chacha20: { seed: string; size: number } };
  settings: ImportProfile;
  cid: string;
};

const vectors = (
  JSON.parse(readFileSync(new URL("../../test/fixtures/kubo-cid-vectors.json", import.meta.url), "utf8")) as {
    vectors: KuboVector[];
  }
).vectors;

/** Kubo's deterministic test data: the ChaCha20 keystream keyed by SHA-256(seed), zero nonce. */
function chacha20Bytes(seed: string, size: number): Uint8Array {
  const key = createHash("sha256").update(seed, "utf8").digest();
  return createCipheriv("chacha20", key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

// The 45 MB vectors share one seed, so the keystream is generated once and sliced.
const keystreams = new Map<string, Uint8Array>();
function vectorBytes(vector: KuboVector): Uint8Array {
  if ("utf8" in vector.data) return new TextEncoder().encode(vector.data.utf8);
  const { seed, size } = vector.data.chacha20;
  const largest = Math.max(
    ...vectors.flatMap((v) => ("chacha20" in v.data && v.data.chacha20.seed === seed ? [v.data.chacha20.size] : [])),
  );
  let stream = keystreams.get(seed);
  if (stream === undefined) {
    stream = chacha20Bytes(seed, largest);
    keystreams.set(seed, stream);
  }
  return stream.subarray(0, size);
}

describe("addFile reproduces Kubo's ipfs add CIDs", () => {
  test.each(vectors.map((vector) => [vector.name, vector] as const))("%s", async (_name, vector) => {
    const bytes = vectorBytes(vector);
    const content = bytes.byteLength > 1_000_000 ? unevenSlices(bytes) : bytes;

    const { cid, sizeBytes } = await addFile({ blockstore: discardingBlockstore }, { content, profile: vector.settings });

    expect(cid.toString()).toBe(vector.cid);
    expect(sizeBytes).toBe(BigInt(bytes.byteLength));
  });

  test("defaults to ipfs add --cid-version=1 (CIDv1, raw leaf for one chunk)", async () => {
    const { cid } = await addFile({ blockstore: discardingBlockstore }, { content: new TextEncoder().encode("hello world") });

    expect(cid.toString()).toBe("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
  });
});
