import type { ContentStore } from "../contentStore.js";

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as dagPb from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createEmbeddedStore } from "../embedded/createEmbeddedStore.js";
import { isVermilionError } from "../../errors/VermilionError.js";
import { buildEditionMetadata } from "./buildEditionMetadata.js";
import { canonicalJson } from "vermilion-verify/shared/canonicalJson.js";
import type { EditionMetadataInput } from "./tokenMetadata.js";

import { PROVENANCE_KEY } from "vermilion-verify/shared/provenanceKey.js";

const MEDIA_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
const POSTER_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

function edition(overrides: Partial<EditionMetadataInput> = {}): EditionMetadataInput {
  return {
    collection: "Vermilion Genesis",
    editionId: 7,
    title: "Red Dawn",
    description: "A limited edition.",
    maxSupply: 25,
    issuer: "0x00000000000000000000000000000000000000AA",
    license: "CC-BY-NC-4.0",
    created: "2026-11-29T10:00:00Z",
    media: { cid: MEDIA_CID, sha256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", kind: "image" },
    externalUrlTemplate: "https://vermilion.example/editions/{editionId}/{serial}",
    attributes: [{ trait_type: "Palette", value: "Crimson" }],
    ...overrides,
  };
}

async function readJson(store: ContentStore, cid: Parameters<ContentStore["cat"]>[0]["cid"], path: string): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of store.cat({ cid, path })) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

describe("canonicalJson", () => {
  test("orders keys the same whatever the insertion order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: "x" } })).toBe(canonicalJson({ a: { c: "x", d: [2, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  test("refuses values JSON cannot carry exactly", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(TypeError);
  });
});

describe("buildEditionMetadata", () => {
  let dataDir: string;
  let store: ContentStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "vermilion-metadata-"));
    store = await createEmbeddedStore({ dataDir, syncWrites: false });
  });

  afterAll(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("writes an ERC-721 document per serial with the provenance object, resolvable by tokenURI path", async () => {
    const built = await buildEditionMetadata({ store }, { edition: edition(), pin: { label: "edition:7:metadata" } });

    expect(built.documentCount).toBe(25);
    expect(built.tokenUri(12)).toBe(`ipfs://${built.metadataCid.toString()}/12.json`);
    const document = await readJson(store, built.metadataCid, "12.json");
    expect(document).toEqual({
      name: "Red Dawn #12",
      description: "A limited edition.",
      image: `ipfs://${MEDIA_CID}`,
      external_url: "https://vermilion.example/editions/7/12",
      attributes: [
        { trait_type: "Palette", value: "Crimson" },
        { trait_type: "Serial", value: 12, display_type: "number", max_value: 25 },
        { trait_type: "Edition size", value: 25, display_type: "number" },
      ],
      [PROVENANCE_KEY]: {
        collection: "Vermilion Genesis",
        editionId: "7",
        serial: 12,
        maxSupply: 25,
        issuer: "0x00000000000000000000000000000000000000aa",
        mediaCid: MEDIA_CID,
        mediaSha256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
        license: "CC-BY-NC-4.0",
        created: "2026-11-29T10:00:00Z",
      },
    });
    expect((await store.listPins()).map((pin) => pin.cid.toString())).toContain(built.metadataCid.toString());
  });

  test("the same inputs give the same directory CID", async () => {
    const first = await buildEditionMetadata({ store }, { edition: edition() });
    const second = await buildEditionMetadata({ store }, { edition: { ...edition(), attributes: [{ value: "Crimson", trait_type: "Palette" }] } });

    expect(second.metadataCid.toString()).toBe(first.metadataCid.toString());
  });

  test("video media gets the poster as image and the video as animation_url", async () => {
    const built = await buildEditionMetadata({ store }, { edition: edition({ maxSupply: 2, media: { ...edition().media, kind: "video" }, posterCid: POSTER_CID }) });

    const document = await readJson(store, built.metadataCid, "2.json");
    expect(document.image).toBe(`ipfs://${POSTER_CID}`);
    expect(document.animation_url).toBe(`ipfs://${MEDIA_CID}`);
  });

  test("video media without a poster fails with METADATA_INVALID", async () => {
    await expect(buildEditionMetadata({ store }, { edition: edition({ media: { ...edition().media, kind: "video" } }) })).rejects.toSatisfy((error) =>
      isVermilionError(error, "METADATA_INVALID"),
    );
  });

  test("translations produce localized documents that the main document points to", async () => {
    const built = await buildEditionMetadata(
      { store },
      { edition: edition({ maxSupply: 3, locales: { default: "en", translations: { fr: { title: "Aube rouge", description: "Une édition limitée." } } } }) },
    );

    const document = await readJson(store, built.metadataCid, "3.json");
    expect(document.localization).toEqual({ uri: `ipfs://${built.localizedCid!.toString()}/{locale}/3.json`, default: "en", locales: ["en", "fr"] });
    const french = await readJson(store, built.localizedCid!, "fr/3.json");
    expect(french.name).toBe("Aube rouge #3");
  });

  test("a 10,000-serial edition becomes a HAMT-sharded directory where every tokenURI path resolves", async () => {
    const built = await buildEditionMetadata({ store }, { edition: edition({ maxSupply: 10_000 }) });

    const root = dagPb.decode(await store.getBlock(built.metadataCid));
    expect(UnixFS.unmarshal(root.Data!).type).toBe("hamt-sharded-directory");
    for (const serial of [1, 777, 5_000, 9_999, 10_000]) {
      expect((await readJson(store, built.metadataCid, `${serial}.json`)).name).toBe(`Red Dawn #${serial}`);
    }
  });
});
