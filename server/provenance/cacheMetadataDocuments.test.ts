import { describe, expect, test } from "vitest";

import { cacheMetadataDocuments } from "./cacheMetadataDocuments.js";

function countingReader(documents: Record<string, unknown>) {
  const reads: string[] = [];
  const read = async (metadataCid: string, serial: number) => {
    reads.push(`${metadataCid}/${serial}`);
    return documents[`${metadataCid}/${serial}`] ?? null;
  };
  return { read, reads };
}

describe("cacheMetadataDocuments", () => {
  test("a document read once is served again without reading IPFS, as an equal copy", async () => {
    const { read, reads } = countingReader({ "bafy/1": { name: "Apsaras #1" } });
    const cached = cacheMetadataDocuments(read);

    const first = (await cached("bafy", 1)) as { name: string };
    first.name = "changed by a caller";
    const second = await cached("bafy", 1);

    expect(second).toEqual({ name: "Apsaras #1" });
    expect(reads).toEqual(["bafy/1"]);
  });

  test("an absent document is asked for again (its blocks may arrive later)", async () => {
    const { read, reads } = countingReader({});
    const cached = cacheMetadataDocuments(read);

    expect(await cached("bafy", 2)).toBeNull();
    expect(await cached("bafy", 2)).toBeNull();

    expect(reads).toEqual(["bafy/2", "bafy/2"]);
  });

  test("past its byte budget the least recently used document is evicted first", async () => {
    const documents = { "bafy/1": { text: "a".repeat(40) }, "bafy/2": { text: "b".repeat(40) }, "bafy/3": { text: "c".repeat(40) } };
    const { read, reads } = countingReader(documents);
    const cached = cacheMetadataDocuments(read, { maxBytes: 110 });

    await cached("bafy", 1);
    await cached("bafy", 2);
    await cached("bafy", 1); // 1 is now the most recently used
    await cached("bafy", 3); // evicts 2
    await cached("bafy", 1);
    await cached("bafy", 2);

    expect(reads).toEqual(["bafy/1", "bafy/2", "bafy/3", "bafy/2"]);
  });
});
