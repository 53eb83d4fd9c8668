import type { Address } from "viem";
import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient } from "../support/httpClient.js";
import type { FaultyRpcProxy } from "../support/startFaultyRpcProxy.js";
import type { TcpProxy } from "../support/startTcpProxy.js";

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { startAnvil } from "../../server/chain/startAnvil.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { startServer } from "../../server/startup/startServer.js";
import { samplePng } from "../storage/mediaSamples.js";
import { createApiClient, errorCode } from "../support/httpClient.js";
import { TEST_POSTGRES_URL } from "../support/openTestDatabase.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { startFaultyRpcProxy } from "../support/startFaultyRpcProxy.js";
import { startTcpProxy } from "../support/startTcpProxy.js";

// One platform whose three dependencies each sit behind something a test can cut: PostgreSQL behind a
// TCP relay, the chain behind a JSON-RPC proxy, and a Kubo API URL where nothing listens.
let anvil: StartAnvilReturnType;
let rpcProxy: FaultyRpcProxy;
let dbProxy: TcpProxy;
let dataDir: string;
let server: RunningServer;
let call: ApiClient;
let issuer: { issuerId: string; apiKey: string; collection: Address };
const schema = `test_unavailable_${randomUUID().replaceAll("-", "")}`;

beforeAll(async () => {
  anvil = await startAnvil();
  rpcProxy = await startFaultyRpcProxy({ targetUrl: anvil.rpcUrl, faultFor: () => null });
  const postgres = new URL(TEST_POSTGRES_URL);
  dbProxy = await startTcpProxy({ host: postgres.hostname, port: Number(postgres.port || 5432) });
  const proxiedDatabase = new URL(TEST_POSTGRES_URL);
  proxiedDatabase.port = String(dbProxy.port);
  proxiedDatabase.searchParams.set("options", `-c search_path=${schema}`);
  const admin = await openPostgres({ connectionString: TEST_POSTGRES_URL });
  await admin.exec(`CREATE SCHEMA "${schema}"`);
  await admin.close();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-unavailable-"));
  server = await startServer(
    loadConfig({
      DATA_DIR: dataDir,
      PORT: "0",
      LOG_LEVEL: "silent",
      RPC_URL: rpcProxy.url,
      DATABASE_URL: proxiedDatabase.toString(),
      IPFS_API_URL: "http://127.0.0.1:1",
    }),
  );
  call = createApiClient(server.url);
  issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!);
});

afterAll(async () => {
  await server?.stop();
  await rpcProxy?.stop();
  await dbProxy?.stop();
  await anvil?.stop();
  const admin = await openPostgres({ connectionString: TEST_POSTGRES_URL });
  await admin.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("when a dependency is down, requests fail with its 503 code and write nothing", () => {
  test("PostgreSQL unreachable → 503 DATABASE_UNAVAILABLE; the same request succeeds once it is back", async () => {
    dbProxy.cut();
    try {
      const during = await call("GET", "/api/collections", { key: issuer.apiKey });
      expect(during.status).toBe(503);
      expect(errorCode(during)).toBe("DATABASE_UNAVAILABLE");
      expect(JSON.stringify(during.body)).not.toContain("ECONNRE");
      // The limits count in the database here; unable to count, they let the liveness probe through.
      expect((await call("GET", "/api/health/live")).status).toBe(200);
    } finally {
      dbProxy.restore();
    }
    const after = await call<Array<{ address: string }>>("GET", "/api/collections", { key: issuer.apiKey });
    expect(after.status).toBe(200);
  });

  test("chain unreachable → POST /api/collections is 503 CHAIN_UNAVAILABLE and no collection is recorded", async () => {
    const before = await call<unknown[]>("GET", "/api/collections", { key: issuer.apiKey });
    rpcProxy.down = true;
    try {
      const during = await call("POST", "/api/collections", { key: issuer.apiKey, body: { name: "Offline", symbol: "OFF" } });
      expect(during.status).toBe(503);
      expect(errorCode(during)).toBe("CHAIN_UNAVAILABLE");
    } finally {
      rpcProxy.down = false;
    }
    const after = await call<unknown[]>("GET", "/api/collections", { key: issuer.apiKey });
    expect(after.body).toEqual(before.body);
  });

  test("IPFS node unreachable → edition upload is 503 IPFS_NODE_UNAVAILABLE and no edition exists anywhere", async () => {
    const form = new FormData();
    form.append("name", "Unstored");
    form.append("maxSupply", "10");
    form.append("media", new Blob([new Uint8Array(samplePng(16, 16))]), "seal.png");
    const response = await fetch(`${server.url}/api/collections/${issuer.collection}/editions`, {
      method: "POST",
      headers: { authorization: `Bearer ${issuer.apiKey}` },
      body: form,
    });
    const body = (await response.json()) as { error: { code: string } };
    expect(response.status).toBe(503);
    expect(body.error.code).toBe("IPFS_NODE_UNAVAILABLE");

    const editions = await call<unknown[]>("GET", `/api/collections/${issuer.collection}/editions`);
    expect(editions.body).toEqual({ editions: [] });
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    expect(await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "editionCount" })).toBe(0n);
  });
});

describe("the platform refuses to start on an unusable dependency, naming it", () => {
  test("a DATABASE_URL where nothing listens → DATABASE_UNAVAILABLE", async () => {
    const otherDataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-nodb-"));
    try {
      const starting = startServer(
        loadConfig({ DATA_DIR: otherDataDir, PORT: "0", LOG_LEVEL: "silent", DATABASE_URL: "postgresql://postgres@127.0.0.1:1/test" }),
      );
      await expect(starting).rejects.toMatchObject({ code: "DATABASE_UNAVAILABLE" });
    } finally {
      await rm(otherDataDir, { recursive: true, force: true });
    }
  });
});
