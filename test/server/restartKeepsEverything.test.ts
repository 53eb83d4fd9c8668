import type { Address } from "viem";

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, getAddress, http } from "viem";
import { afterAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { openPostgres } from "../../server/db/openPostgres.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../support/httpClient.js";
import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";

const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A database of its own on the PostgreSQL server, dropped after the test. */
async function freshPostgresDatabase(): Promise<string> {
  const name = `vermilion_${randomUUID().replaceAll("-", "")}`;
  const admin = await openPostgres({ connectionString: POSTGRES_ADMIN_URL });
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  cleanups.push(async () => {
    const dropper = await openPostgres({ connectionString: POSTGRES_ADMIN_URL });
    await dropper.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.close();
  });
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

describe.each([
  { database: "PGlite (embedded)", databaseUrl: async () => undefined },
  { database: "PostgreSQL (DATABASE_URL)", databaseUrl: freshPostgresDatabase },
])("the platform on $database", ({ databaseUrl }) => {
  test("serves issuers, collections and mint jobs, and a restart keeps tokens, owners and jobs", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-restart-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const url = await databaseUrl();
    const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", ...(url ? { DATABASE_URL: url } : {}) });

    const first = await startServer(config);
    let jobId: string;
    let issuer: { apiKey: string; collection: Address };
    const recipient: Address = getAddress("0x00000000000000000000000000000000000c0ffe");
    try {
      const call = createApiClient(first.url);
      issuer = await createIssuerWithCollection(call, first.firstAdminApiKey!);
      const editionId = await createEditionOnChain(first.rpcUrl, issuer.collection, 10);
      const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
        key: issuer.apiKey,
        headers: { "idempotency-key": "restart-1" },
        body: { to: recipient, quantity: 3 },
      });
      jobId = accepted.body.jobId;
      expect((await waitForJob<{ state: string }>(call, issuer.apiKey, jobId)).state).toBe("completed");
      // Let the embedded chain's periodic state dump (every second) include the mint.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      await first.stop();
    }

    const second = await startServer(config);
    try {
      const call = createApiClient(second.url);
      const job = await call<{ state: string; tokenIds: string[] }>("GET", `/api/jobs/${jobId}`, { key: issuer.apiKey });
      expect(job.body.state).toBe("completed");
      expect(job.body.tokenIds).toHaveLength(3);
      const client = createPublicClient({ transport: http(second.rpcUrl) });
      for (const tokenId of job.body.tokenIds) {
        expect(
          await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [BigInt(tokenId)] }),
        ).toBe(recipient);
      }
      const collections = await call<{ collections: Array<{ address: string }> }>("GET", "/api/collections");
      expect(collections.body.collections.map((collection) => collection.address)).toContain(issuer.collection);
    } finally {
      await second.stop();
    }
  });
});
