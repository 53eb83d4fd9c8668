import type { Address } from "viem";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient } from "../support/httpClient.js";

import { createHash } from "node:crypto";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { errorCode } from "../support/httpClient.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { startTestPlatform, type TestPlatform } from "../support/startTestPlatform.js";
import { sampleGlb, samplePng } from "../storage/mediaSamples.js";

let platform: TestPlatform;
let server: RunningServer;
let call: ApiClient;
let issuer: { issuerId: string; apiKey: string; collection: Address };

beforeAll(async () => {
  platform = await startTestPlatform("editions");
  ({ server, call } = platform);
  issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!);
});

afterAll(async () => {
  await platform?.stop();
});

function uploadForm(fields: Record<string, string>, files: Record<string, Buffer>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [name, bytes] of Object.entries(files)) form.append(name, new Blob([new Uint8Array(bytes)]), `${name}.bin`);
  return form;
}

async function postEdition(form: FormData, key = issuer.apiKey) {
  const response = await fetch(`${server.url}/api/collections/${issuer.collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /api/collections/:address/editions", () => {
  test("stores the image and per-serial metadata on IPFS and commits the media's SHA-256 on-chain", async () => {
    const image = samplePng(32, 32);
    const created = await postEdition(
      uploadForm(
        {
          name: "Flying Apsaras",
          description: "Cave 320, Tang dynasty",
          maxSupply: "100",
          royaltyBps: "500",
          royaltyReceiver: `0x${"12".repeat(20)}`,
          transferPolicy: "hold",
          holdSeconds: "86400",
          attributes: JSON.stringify([{ trait_type: "Cave", value: 320 }]),
          license: "CC BY-NC 4.0",
          translations: JSON.stringify({ "zh-CN": { title: "飞天", description: "第320窟，唐代" } }),
        },
        { media: image },
      ),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sha256 = createHash("sha256").update(image).digest("hex");
    expect(created.body).toMatchObject({ editionId: "1", mediaType: "png", mediaSha256: sha256, contentSha256: `0x${sha256}` });

    const client = createPublicClient({ transport: http(server.rpcUrl) });
    const onChain = await client.readContract({
      address: issuer.collection,
      abi: vermilionCollectionAbi,
      functionName: "edition",
      args: [1n],
    });
    expect(onChain).toMatchObject({
      maxSupply: 100n,
      contentSha256: `0x${sha256}`,
      mediaCid: created.body.mediaCid,
      metadataCid: created.body.metadataCid,
      transferPolicy: 1,
      holdSeconds: 86_400n,
      royaltyBps: 500n,
    });

    // The serial's document resolves through our gateway, names its serial and carries the commitment.
    const document = (await (await fetch(`${server.url}/ipfs/${String(created.body.metadataCid)}/42.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(document.name).toContain("42");
    expect(JSON.stringify(document)).toContain(sha256);
    const media = await fetch(`${server.url}/ipfs/${String(created.body.mediaCid)}`);
    expect(Buffer.from(await media.arrayBuffer()).equals(image)).toBe(true);

    const listed = await call<{ editions: Array<{ editionId: string; name: string }> }>(
      "GET",
      `/api/collections/${issuer.collection}/editions`,
    );
    expect(listed.body.editions.map((edition) => edition.name)).toContain("Flying Apsaras");
    const one = await call("GET", `/api/collections/${issuer.collection}/editions/1`);
    expect(one.body).toMatchObject({ name: "Flying Apsaras", mintedCount: 0, sealed: false, transferPolicy: "hold", holdSeconds: 86_400 });
  });

  test("a 3D model needs a poster image; with one it becomes an edition", async () => {
    const without = await postEdition(uploadForm({ name: "Bodhisattva", maxSupply: "10" }, { media: sampleGlb() }));
    expect(without.status).toBe(400);
    expect(without.body).toMatchObject({ error: { code: "VALIDATION_FAILED", details: { field: "body.poster" } } });
    const withPoster = await postEdition(
      uploadForm({ name: "Bodhisattva", maxSupply: "10" }, { media: sampleGlb(), poster: samplePng(8, 8) }),
    );
    expect(withPoster.status, JSON.stringify(withPoster.body)).toBe(201);
    expect(withPoster.body).toMatchObject({ mediaType: "glb", posterCid: expect.any(String) });
  });

  test("bad uploads get a named 4xx and create nothing", async () => {
    const before = (await call<{ editions: unknown[] }>("GET", `/api/collections/${issuer.collection}/editions`)).body.editions.length;
    const cases: Array<[FormData, number, string, string?]> = [
      [uploadForm({ name: "SVG", maxSupply: "1" }, { media: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>') }), 415, "MEDIA_TYPE_UNSUPPORTED"],
      [uploadForm({ name: "Empty", maxSupply: "1" }, { media: Buffer.alloc(0) }), 400, "MEDIA_EMPTY"],
      [uploadForm({ name: "Truncated", maxSupply: "1" }, { media: samplePng(16, 16).subarray(0, 40) }), 422, "MEDIA_TRUNCATED"],
      [uploadForm({ name: "No file", maxSupply: "1" }, {}), 400, "VALIDATION_FAILED", "body.media"],
      [uploadForm({ name: "Zero", maxSupply: "0" }, { media: samplePng() }), 400, "VALIDATION_FAILED", "body.maxSupply"],
      [uploadForm({ name: "Policy", maxSupply: "1", transferPolicy: "hold:86400" }, { media: samplePng() }), 400, "VALIDATION_FAILED", "body.transferPolicy"],
      [uploadForm({ name: "Hold", maxSupply: "1", transferPolicy: "hold", holdSeconds: "abc" }, { media: samplePng() }), 400, "VALIDATION_FAILED", "body.holdSeconds"],
      [uploadForm({ name: "Hold", maxSupply: "1", transferPolicy: "hold" }, { media: samplePng() }), 400, "VALIDATION_FAILED", "body.holdSeconds"],
      [uploadForm({ name: "Free", maxSupply: "1", transferPolicy: "free", holdSeconds: "60" }, { media: samplePng() }), 400, "VALIDATION_FAILED", "body.holdSeconds"],
      [uploadForm({ name: "Attrs", maxSupply: "1", attributes: "[not json" }, { media: samplePng() }), 400, "VALIDATION_FAILED", "body.attributes"],
      [uploadForm({ name: "Royalty", maxSupply: "1", royaltyBps: "100" }, { media: samplePng() }), 400, "VALIDATION_FAILED", "body.royaltyReceiver"],
    ];
    for (const [form, status, code, field] of cases) {
      const response = await postEdition(form);
      expect(response.status, `${code} ${JSON.stringify(response.body)}`).toBe(status);
      expect((response.body.error as { code: string }).code).toBe(code);
      if (field) expect((response.body.error as { details: { field: string } }).details.field).toBe(field);
    }
    const json = await call("POST", `/api/collections/${issuer.collection}/editions`, { key: issuer.apiKey, body: { name: "x" } });
    expect(json.status).toBe(415);
    expect(errorCode(json)).toBe("CONTENT_TYPE_UNSUPPORTED");
    const after = (await call<{ editions: unknown[] }>("GET", `/api/collections/${issuer.collection}/editions`)).body.editions.length;
    expect(after).toBe(before);
  });
});
