import type { Address } from "viem";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS, loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../support/httpClient.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test("--demo seeds an issuer, a collection, an image and a 3D edition, mints and a transfer, once", async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-demo-"));
  dirs.push(dataDir);
  const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent" });
  const first = await startServer(config, { demo: true });
  let collection: Address;
  try {
    expect(first.demo?.issuerApiKey).toMatch(/^vmn_/);
    collection = first.demo!.collection as Address;
    const call = createApiClient(first.url);
    const editions = await call<{ editions: Array<{ name: string; mediaType: string }> }>(
      "GET",
      `/api/collections/${collection}/editions`,
    );
    expect(editions.body.editions.map((edition) => edition.mediaType).sort()).toEqual(["glb", "png"]);
    const client = createPublicClient({ transport: http(first.rpcUrl) });
    const collectorB = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[2]!).address;
    expect(await client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [1_000_001n] })).toBe(
      collectorB,
    );

    // The collector's view, once the indexer caught up: owner, edition name, the serial's metadata, provenance.
    let token = await call<{ token: { owner: string; editionName: string; metadata: { name: string } } }>(
      "GET",
      `/api/tokens/${collection}/1000001`,
    );
    for (let attempt = 0; attempt < 100 && (token.status !== 200 || token.body.token.owner.toLowerCase() !== collectorB.toLowerCase()); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      token = await call("GET", `/api/tokens/${collection}/1000001`);
    }
    expect(token.status).toBe(200);
    expect(token.body.token.editionName).toBe("Vermilion Seal");
    expect(token.body.token.metadata.name).toContain("#1");
    const provenance = await call<{ events: unknown[] }>("GET", `/api/tokens/${collection}/1000001/provenance`);
    expect(provenance.status).toBe(200);
  } finally {
    await first.stop();
  }
  const second = await startServer(config, { demo: true });
  try {
    expect(second.demo).toEqual({ collection, issuerApiKey: undefined });
  } finally {
    await second.stop();
  }
});
