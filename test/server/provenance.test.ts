import type { Address } from "viem";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient } from "../support/httpClient.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { getAddress, keccak256, toHex } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../support/httpClient.js";
import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";

let server: RunningServer;
let dataDir: string;
let call: ApiClient;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-provenance-"));
  server = await startServer(loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent" }));
  call = createApiClient(server.url);
});

afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Polls `route` until it answers 200 (the indexer follows the chain by polling). */
async function whenIndexed<Body>(route: string, timeoutMs = 30_000): Promise<Body> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await call<Body>("GET", route);
    if (response.status === 200) return response.body;
    if (Date.now() > deadline) throw new Error(`${route} still ${response.status}: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("a token minted through the API appears in the provenance API served by the same server", async () => {
  const issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!);
  const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
  const collector: Address = getAddress(`0x${keccak256(toHex("provenance-collector")).slice(-40)}`);
  const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
    key: issuer.apiKey,
    headers: { "idempotency-key": "provenance-mint-1" },
    body: { to: collector, quantity: 2 },
  });
  expect(accepted.status).toBe(202);
  const job = await waitForJob<{ state: string; transactions: string[] }>(call, issuer.apiKey, accepted.body.jobId);
  expect(job.state).toBe("completed");

  const tokenId = encodeTokenId(editionId, 2);
  const token = await whenIndexed<{ token: Record<string, unknown> }>(`/api/tokens/${issuer.collection}/${tokenId}`);
  expect(token.token).toMatchObject({
    owner: collector.toLowerCase(),
    label: "#2/10",
    mintKind: "issuer",
    media: { ipfs: "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", gateway: "/ipfs/bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e" },
  });
  const provenance = await whenIndexed<{ history: Array<Record<string, unknown>> }>(
    `/api/tokens/${issuer.collection}/${tokenId}/provenance`,
  );
  expect(provenance.history).toMatchObject([{ kind: "mint", to: collector.toLowerCase(), txHash: job.transactions[0] }]);

  const health = await call<{ indexedBlock: string | null }>("GET", "/api/health");
  expect(health.body.indexedBlock).not.toBeNull();
  const indexerHealth = await call<{ state: string; healthy: boolean }>("GET", "/api/health/indexer");
  expect(indexerHealth.body).toMatchObject({ healthy: true });
});
