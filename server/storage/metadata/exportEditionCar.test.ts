import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CarBlockIterator } from "@ipld/car/iterator";
import { describe, expect, test } from "vitest";
import { createEmbeddedStore } from "../embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "./buildEditionMetadata.js";
import { exportEditionCar } from "./exportEditionCar.js";

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("exportEditionCar", () => {
  test("archives metadata and media with each block once, and the archive restores the edition elsewhere", async () => {
    const sourceDir = await mkdtemp(join(tmpdir(), "vermilion-edition-car-"));
    const targetDir = await mkdtemp(join(tmpdir(), "vermilion-edition-car-"));
    const source = await createEmbeddedStore({ dataDir: sourceDir, syncWrites: false });
    const target = await createEmbeddedStore({ dataDir: targetDir, syncWrites: false });
    try {
      const media = randomBytes(600_000);
      const mediaCid = (await source.addFile({ content: media })).cid;
      const built = await buildEditionMetadata(
        { store: source },
        {
          edition: {
            collection: "Vermilion Genesis",
            editionId: 9,
            title: "Archive",
            description: "",
            maxSupply: 300,
            issuer: "0x00000000000000000000000000000000000000aa",
            license: "CC0-1.0",
            created: "2026-11-29T10:00:00Z",
            media: { cid: mediaCid.toString(), sha256: createHash("sha256").update(media).digest("hex"), kind: "image" },
          },
        },
      );

      const car = await collect(exportEditionCar({ store: source }, { metadataCid: built.metadataCid, mediaCids: [mediaCid, mediaCid] }));

      const cids: string[] = [];
      for await (const block of await CarBlockIterator.fromBytes(car)) cids.push(block.cid.toString());
      expect(new Set(cids).size).toBe(cids.length);
      // 300 documents + the directory + the media's root and three leaves.
      expect(cids.length).toBe(300 + 1 + 4);
      const imported = await target.importCar({ car: [car], pin: { label: "edition:9" } });
      expect(imported.roots.map(String)).toEqual([built.metadataCid.toString(), mediaCid.toString()]);
      const document = JSON.parse(Buffer.from(await collect(target.cat({ cid: built.metadataCid, path: "300.json" }))).toString("utf8")) as { name: string };
      expect(document.name).toBe("Archive #300");
      expect(Buffer.compare(await collect(target.cat({ cid: mediaCid })), media)).toBe(0);
    } finally {
      await source.close();
      await target.close();
      await rm(sourceDir, { recursive: true, force: true });
      await rm(targetDir, { recursive: true, force: true });
    }
  });
});
