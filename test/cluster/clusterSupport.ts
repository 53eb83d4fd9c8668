import type { Address, Hex } from "viem";
import type { ApiClient } from "../support/httpClient.js";
import type { SpawnedServer } from "../support/spawnServer.js";

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import pg from "pg";
import { createPublicClient, getAddress, http, keccak256, toHex } from "viem";

import { createApiClient } from "../support/httpClient.js";
import { TEST_POSTGRES_URL } from "../support/openTestDatabase.js";
import { spawnServer } from "../support/spawnServer.js";

export const ADMIN_API_KEY = "test-admin-key-0123456789abcdef";
/** Short terms so takeovers happen within a test's patience; production defaults to 10 s. */
export const LEASE_TTL_MS = 3_000;

/** A fresh database on the test PostgreSQL server, for one cluster; `drop()` removes it. */
export async function createClusterDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `vermilion_cluster_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface ClusterInstance {
  name: string;
  /** Its INSTANCE_ID: the holder it is named as in `leases`. */
  instanceId: string;
  server: SpawnedServer;
  call: ApiClient;
}

/** Starts one instance of the cluster in its own process (killable with SIGKILL) and data directory. */
export async function startInstance(
  name: string,
  shared: { databaseUrl: string; rpcUrl: string },
  dirs: string[],
): Promise<ClusterInstance> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `vermilion-cluster-${name}-`));
  dirs.push(dataDir);
  const instanceId = `${name}-${randomUUID().slice(0, 8)}`;
  const server = await spawnServer(
    {
      DATA_DIR: dataDir,
      PORT: "0",
      RPC_URL: shared.rpcUrl,
      DATABASE_URL: shared.databaseUrl,
      ADMIN_API_KEY,
      LOG_LEVEL: "warn",
      LEASE_TTL_MS: String(LEASE_TTL_MS),
      INSTANCE_ID: instanceId,
    },
    90_000,
    { singleProcess: true },
  );
  return { name, instanceId, server, call: createApiClient(server.url) };
}

/**
 * A cluster test's teardown: stops every instance still running (SIGTERM, awaited), then the chain and
 * the database, and removes the instances' data directories. Each part may be missing when setup failed.
 */
export async function stopCluster(parts: {
  instances: ClusterInstance[];
  anvil: { stop: () => Promise<void> } | undefined;
  database: { drop: () => Promise<void> } | undefined;
  dirs: string[];
}): Promise<void> {
  for (const instance of parts.instances) {
    if (instance.server.child.exitCode === null && instance.server.child.signalCode === null) {
      instance.server.child.kill("SIGTERM");
      await instance.server.exited;
    }
  }
  await parts.anvil?.stop();
  await parts.database?.drop();
  for (const dir of parts.dirs) await rm(dir, { recursive: true, force: true });
}

/** The instance holding a lease now (its holder, while its term runs), if any. */
export async function leaseHolder(databaseUrl: string, name: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ holder: string }>("SELECT holder FROM leases WHERE name = $1 AND expires_at > now()", [name]);
    return rows[0]?.holder;
  } finally {
    await client.end();
  }
}

export interface Readiness {
  status: string;
  roles: { mintSender: boolean; indexerWriter: boolean };
}

export async function readiness(instance: ClusterInstance): Promise<Readiness> {
  return (await instance.call<Readiness>("GET", "/api/health/ready")).body;
}

/** Polls until `check` passes or `timeoutMs` runs out (then throws with `what`). */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    if (await check()) return Date.now() - startedAt;
    if (Date.now() - startedAt > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Distinct deterministic addresses. */
export function recipientAddresses(label: string, count: number): Address[] {
  return Array.from({ length: count }, (_, index) => getAddress(`0x${keccak256(toHex(`${label}-${index}`)).slice(-40)}`));
}

/**
 * Every transaction `signer` sent in blocks `fromBlock`..head: its nonce and destination, read from
 * the chain itself (not the platform's bookkeeping).
 */
export async function signerTransactions(
  rpcUrl: string,
  signer: Address,
  fromBlock: bigint,
): Promise<Array<{ hash: Hex; nonce: number; to: Address | null; input: Hex }>> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const head = await client.getBlockNumber();
  const found = [];
  for (let number = fromBlock; number <= head; number += 1n) {
    const block = await client.getBlock({ blockNumber: number, includeTransactions: true });
    for (const transaction of block.transactions) {
      if (transaction.from.toLowerCase() === signer.toLowerCase()) {
        found.push({ hash: transaction.hash, nonce: transaction.nonce, to: transaction.to, input: transaction.input });
      }
    }
  }
  return found;
}
