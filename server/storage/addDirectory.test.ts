import type { ImportProfile } from "vermilion-verify/shared/importProfiles.js";

import { describe, expect, test } from "vitest";
import { addDirectory } from "./addDirectory.js";
import { discardingBlockstore } from "vermilion-verify/shared/addFile.js";

/**
 * Directory CIDs from Kubo's sharness test t0260-sharding.sh: files whose content is `$i\n`.
 * `big_dir` (5,960 names of 10 bytes) is just past the 256 KiB link estimate, `small_dir` far below.
 */
const entriesOf = (count: number, name: (i: number) => string) =>
  Array.from({ length: count }, (_, index) => ({ path: name(index + 1), content: new TextEncoder().encode(`${index + 1}\n`) }));
const padded = (i: number) => `file${String(i).padStart(6, "0")}`;
const plain = (i: number) => `file${i}`;

const vectors: Array<{ name: string; entries: () => ReturnType<typeof entriesOf>; profile: ImportProfile; thresholdBytes?: number; cid: string }> = [
  { name: "big_dir, 5960 entries, default threshold: sharded", entries: () => entriesOf(5960, padded), profile: "kubo-v0", cid: "QmWfjnRWRvdvYezQWnfbvrvY7JjrpevsE9cato1x76UqGr" },
  { name: "small_dir, 100 entries, default threshold: not sharded", entries: () => entriesOf(100, padded), profile: "kubo-v0", cid: "QmdBXmm4HRpUhyzzctbFvi2tLai3XFL1YjmE1qfpJe61NX" },
  { name: "testdata, 2000 entries, sharding forced off (1G)", entries: () => entriesOf(2000, plain), profile: "kubo-v0", thresholdBytes: 1024 ** 3, cid: "QmavrTrQG4VhoJmantURAYuw3bowq3E2WcvP36NRQDAC1N" },
  { name: "testdata, 2000 entries, sharding forced on (1B)", entries: () => entriesOf(2000, plain), profile: "kubo-v0", thresholdBytes: 1, cid: "QmSCJD1KYLhVVHqBK3YyXuoEqHt7vggyJhzoFYbT8v1XYL" },
  { name: "testdata, 2000 entries, sharding forced on, --cid-version=1", entries: () => entriesOf(2000, plain), profile: "kubo-v1", thresholdBytes: 1, cid: "bafybeibiemewfzzdyhq2l74wrd6qj2oz42usjlktgnlqv4yfawgouaqn4u" },
];

describe("addDirectory reproduces Kubo's ipfs add -r CIDs, including HAMT sharding", () => {
  test.each(vectors.map((vector) => [vector.name, vector] as const))("%s", async (_name, vector) => {
    const { cid, entries } = await addDirectory(
      { blockstore: discardingBlockstore },
      { entries: vector.entries(), profile: vector.profile, shardSplitThresholdBytes: vector.thresholdBytes },
    );

    expect(cid.toString()).toBe(vector.cid);
    expect(entries.length).toBe(vector.entries().length);
  });

  test("file100 in the forced-sharded testdata has Kubo's CID", async () => {
    const { entries } = await addDirectory({ blockstore: discardingBlockstore }, { entries: entriesOf(2000, plain), profile: "kubo-v0", shardSplitThresholdBytes: 1 });

    expect(entries.find((entry) => entry.path === "file100")?.cid.toString()).toBe("QmZ3RfWk1u5LEGYLHA633B5TNJy3Du27K6Fny9wcxpowGS");
  });
});
