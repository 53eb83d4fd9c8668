import type { Address } from "viem";
import type { ListeningServer } from "../../test/support/listen.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";
import type { StartAnvilReturnType } from "../../test/support/startAnvil.js";
import type { VermilionDeployment } from "../../test/support/deployVermilion.js";
import type { ContentStore } from "../storage/contentStore.js";
import type { EditionMetadataInput } from "../storage/metadata/tokenMetadata.js";

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CID } from "multiformats/cid";
import pino from "pino";
import { createPublicClient, http, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { deployVermilion } from "../../test/support/deployVermilion.js";
import { listen } from "../../test/support/listen.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { startAnvil } from "../../test/support/startAnvil.js";
import { createApp } from "../app.js";
import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { recordMetadataTemplate } from "../editions/recordMetadataTemplate.js";
import { createIndexer } from "../indexer/createIndexer.js";
import { readJsonDocument } from "../startup/readJsonDocument.js";
import { createEmbeddedStore } from "../storage/embedded/createEmbeddedStore.js";
import { buildEditionMetadata } from "../storage/metadata/buildEditionMetadata.js";
import { canonicalJson } from "vermilion-verify/shared/canonicalJson.js";
import { parseMetadataTemplate, renderTokenMetadata } from "../storage/metadata/metadataTemplate.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { cacheMetadataDocuments } from "./cacheMetadataDocuments.js";
import { createProvenanceRouter } from "./provenanceRouter.js";

const MEDIA_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
const POSTER_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
const SERIALS = [1, 2, 7, 12] as const;

let anvil: StartAnvilReturnType;
let database: TestDatabase;
let chain: VermilionDeployment;
let server: ListeningServer;
let store: ContentStore;
let dataDir: string;
let collection: Address;
/** Every read that reached the IPFS store, as `<cid>/<serial>`. */
const storeReads: string[] = [];
const editions: Record<"plain" | "translated" | "external", { editionId: bigint; metadataCid: string }> = {} as never;

function input(editionId: number, overrides: Partial<EditionMetadataInput> = {}): EditionMetadataInput {
  return {
    collection: "Rendered",
    editionId,
    title: "Red Dawn",
    description: "A limited edition \u2014 with \"quotes\", \u00e9 and \ud83d\udd25.",
    maxSupply: 12,
    issuer: "0x00000000000000000000000000000000000000AA",
    license: "CC-BY-NC-4.0",
    created: "2026-11-29T10:00:00Z",
    media: { cid: MEDIA_CID, sha256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", kind: "image" },
    externalUrlTemplate: "https://vermilion.example/editions/{editionId}/{serial}?a=1&b=2",
    attributes: [
      { trait_type: "Palette", value: "Crimson" },
      { trait_type: "Weight", value: 0.1, display_type: "number", max_value: 1e21 },
    ],
    ...overrides,
  };
}

async function storedBytes(metadataCid: string, serial: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of store.cat({ cid: CID.parse(metadataCid), path: `${serial}.json` })) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function createEditionOnChain(metadataCid: string): Promise<bigint> {
  const [, issuer] = chain.accounts as [Address, Address];
  const hash = await chain.send(collection, issuer, "createEdition", [
    {
      maxSupply: 12,
      metadataCid,
      mediaCid: MEDIA_CID,
      contentSha256: `0x${"ab".repeat(32)}`,
      royaltyReceiver: issuer,
      royaltyBps: 500,
      transferPolicy: 0,
      holdSeconds: 0,
    },
  ]);
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "EditionCreated", logs: receipt.logs });
  if (!created) throw new Error("no EditionCreated");
  return created.args.editionId;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vermilion-rendered-"));
  [anvil, database, store] = await Promise.all([startAnvil(), openTestDatabase(), createEmbeddedStore({ dataDir, syncWrites: false })]);
  chain = await deployVermilion(anvil.rpcUrl);
  const [, , alice] = chain.accounts as [Address, Address, Address];
  collection = await chain.createCollection("Rendered");

  const builds = {
    plain: await buildEditionMetadata({ store }, { edition: input(1) }),
    translated: await buildEditionMetadata(
      { store },
      {
        edition: input(2, {
          media: { cid: MEDIA_CID, sha256: "0".repeat(64), kind: "video" },
          posterCid: POSTER_CID,
          locales: { default: "en", translations: { fr: { title: "Aube rouge", description: "Une édition limitée." }, "pt-BR": { title: "Aurora" } } },
        }),
      },
    ),
    // Written to the store but never recorded: a directory the platform did not build itself.
    external: await buildEditionMetadata({ store }, { edition: input(3, { externalUrlTemplate: undefined }) }),
  };
  await recordMetadataTemplate({ db: database.db }, builds.plain);
  await recordMetadataTemplate({ db: database.db }, builds.translated);
  for (const name of ["plain", "translated", "external"] as const) {
    const metadataCid = builds[name].metadataCid.toString();
    editions[name] = { editionId: await createEditionOnChain(metadataCid), metadataCid };
    await chain.mint(collection, editions[name].editionId, alice, 12);
  }

  const indexer = createIndexer({
    db: database.db,
    publicClient: createPublicClient({ transport: http(anvil.rpcUrl) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    pollIntervalMs: 20,
  });
  await indexer.start();
  await indexer.waitUntilSynced(await chain.publicClient.getBlockNumber());
  await indexer.stop();

  const readMetadataDocument = cacheMetadataDocuments(async (metadataCid, serial) => {
    storeReads.push(`${metadataCid}/${serial}`);
    return readJsonDocument(store, metadataCid, `${serial}.json`);
  });
  const app = createApp({
    logger: pino({ level: "silent" }),
    routers: [createProvenanceRouter({ db: database.db, chainId: 31337n, ipfsGatewayUrl: "", readMetadataDocument })],
  });
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  await anvil?.stop();
  await database?.dispose();
  await store?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function tokenMetadata(editionId: bigint, serial: number): Promise<unknown> {
  const response = await fetch(`${server.baseUrl}/api/tokens/${collection}/${encodeTokenId(editionId, serial)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: { metadata: unknown } }).token.metadata;
}

describe("metadata documents rendered from recorded templates", () => {
  test.each(["plain", "translated"] as const)("the %s edition's template, read back from the table, renders each serial's stored bytes exactly", async (name) => {
    const { rows } = await database.db.query<{ template: string }>("SELECT template FROM metadata_templates WHERE metadata_cid = $1", [editions[name].metadataCid]);
    const template = parseMetadataTemplate(rows[0]!.template);
    expect(template.localizedCid === null).toBe(name === "plain");
    for (const serial of SERIALS) {
      expect(canonicalJson(renderTokenMetadata(template, serial))).toBe(await storedBytes(editions[name].metadataCid, serial));
    }
  });

  test.each(["plain", "translated"] as const)("the token route serves the %s edition's documents without reading the store", async (name) => {
    for (const serial of SERIALS) {
      const metadata = await tokenMetadata(editions[name].editionId, serial);
      expect(canonicalJson(metadata)).toBe(await storedBytes(editions[name].metadataCid, serial));
    }
    expect(storeReads.filter((read) => read.startsWith(editions[name].metadataCid))).toEqual([]);
  });

  test("a directory the platform did not write is read from the store once per document, then from the cache", async () => {
    const { editionId, metadataCid } = editions.external;
    for (const serial of [...SERIALS, ...SERIALS]) {
      const metadata = await tokenMetadata(editionId, serial);
      expect(canonicalJson(metadata)).toBe(await storedBytes(metadataCid, serial));
    }
    expect(storeReads).toEqual(SERIALS.map((serial) => `${metadataCid}/${serial}`));
  });

  test("recording a template twice keeps the first (a CID names its documents)", async () => {
    const { rows: before } = await database.db.query<{ template: string }>("SELECT template FROM metadata_templates WHERE metadata_cid = $1", [editions.plain.metadataCid]);
    await recordMetadataTemplate({ db: database.db }, { metadataCid: editions.plain.metadataCid, template: parseMetadataTemplate(before[0]!.template) });
    const { rows: after } = await database.db.query<{ count: bigint }>("SELECT count(*)::int8 AS count FROM metadata_templates");
    expect(after[0]!.count).toBe(2n);
  });
});
