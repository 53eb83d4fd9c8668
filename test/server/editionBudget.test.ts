import type { Address } from "viem";
import type { ApiClient } from "../support/httpClient.js";

import { readdir } from "node:fs/promises";
import path from "node:path";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { startTestPlatform, type TestPlatform } from "../support/startTestPlatform.js";
import { samplePng } from "../storage/mediaSamples.js";

// Small budgets, so each is crossed by a small request.
const BUDGET_ENV = {
  EDITION_MAX_METADATA_BYTES: "200000",
  EDITION_MAX_DOCUMENTS: "400",
  EDITION_MAX_LOCALES: "2",
  EDITION_MAX_ATTRIBUTES: "3",
  EDITION_MAX_ATTRIBUTE_BYTES: "64",
};

let platform: TestPlatform;
let call: ApiClient;
let issuer: { issuerId: string; apiKey: string; collection: Address };

beforeAll(async () => {
  platform = await startTestPlatform("edition-budget", BUDGET_ENV);
  call = platform.call;
  issuer = await createIssuerWithCollection(call, platform.server.firstAdminApiKey!);
});

afterAll(async () => {
  await platform?.stop();
});

function uploadForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("media", new Blob([new Uint8Array(samplePng(24, 24))]), "media.png");
  return form;
}

async function postEdition(form: FormData) {
  const response = await fetch(`${platform.server.url}/api/collections/${issuer.collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${issuer.apiKey}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; details: Record<string, unknown> } } };
}

/** Every file the content store holds: any block or pin written adds one. */
async function storeFiles(): Promise<string[]> {
  const entries = await readdir(path.join(platform.dataDir, "ipfs"), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
}

/** What an edition leaves anywhere: the chain's count, the platform's rows and the store's files. */
async function everythingWritten() {
  const client = createPublicClient({ transport: http(platform.server.rpcUrl) });
  return {
    editionCount: await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "editionCount" }),
    rows: (await call<{ editions: unknown[] }>("GET", `/api/collections/${issuer.collection}/editions`)).body.editions.length,
    storeFiles: await storeFiles(),
  };
}

describe("edition budgets", () => {
  test("an over-budget edition is refused with EDITION_BUDGET_EXCEEDED naming the limit, before anything is written", async () => {
    const before = await everythingWritten();
    const cases: Array<[string, Record<string, string>, number]> = [
      ["metadataBytes", { name: "Long", maxSupply: "250", description: "敦".repeat(2_000) }, 200_000],
      ["documents", { name: "Many", maxSupply: "150", translations: JSON.stringify({ fr: { title: "Beaucoup" }, de: { title: "Viele" } }) }, 400],
      ["locales", { name: "Babel", maxSupply: "1", translations: JSON.stringify({ fr: {}, de: {}, ja: {} }) }, 2],
      ["attributes", { name: "Tags", maxSupply: "1", attributes: JSON.stringify([1, 2, 3, 4].map((n) => ({ trait_type: `t${n}`, value: n }))) }, 3],
      ["attributeBytes", { name: "Essay", maxSupply: "1", attributes: JSON.stringify([{ trait_type: "Note", value: "x".repeat(100) }]) }, 64],
    ];
    for (const [limit, fields, max] of cases) {
      const refused = await postEdition(uploadForm(fields));
      expect(refused.status, `${limit}: ${JSON.stringify(refused.body)}`).toBe(413);
      expect(refused.body.error).toMatchObject({ code: "EDITION_BUDGET_EXCEEDED", details: { limit, max, requested: expect.any(Number) } });
      expect(refused.body.error!.details.requested as number).toBeGreaterThan(max);
    }
    expect(await everythingWritten()).toEqual(before);
  });

  test("the same edition within its budget is created", async () => {
    const created = await postEdition(uploadForm({ name: "Modest", maxSupply: "100", attributes: JSON.stringify([{ trait_type: "Cave", value: 320 }]) }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });
});

describe("externalUrlTemplate", () => {
  test.each([
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)//{serial}",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://museum.example/{serial}",
    "/editions/{editionId}/{serial}",
    "{serial}:alert(1)",
  ])("%j is refused with 400 naming body.externalUrlTemplate, and nothing is written", async (template) => {
    const before = await everythingWritten();
    const refused = await postEdition(uploadForm({ name: "Link", maxSupply: "1", externalUrlTemplate: template }));
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.externalUrlTemplate" } });
    expect(await everythingWritten()).toEqual(before);
  });

  test("an https template goes into each serial's metadata with its placeholders filled", async () => {
    const created = await postEdition(uploadForm({ name: "Linked", maxSupply: "3", externalUrlTemplate: "https://museum.example/e/{editionId}/{serial}" }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { metadataCid, editionId } = created.body as unknown as { metadataCid: string; editionId: string };
    const document = (await (await fetch(`${platform.server.url}/ipfs/${metadataCid}/3.json`)).json()) as { external_url: string };
    expect(document.external_url).toBe(`https://museum.example/e/${editionId}/3`);
  });
});
