import type { Address } from "viem";
import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, getAddress, http } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { startAnvil } from "../../server/chain/startAnvil.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { openPglite } from "../../server/db/openPglite.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../support/httpClient.js";
import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";

let anvil: StartAnvilReturnType;
let dataDir: string;

beforeAll(async () => {
  anvil = await startAnvil();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-stuck-"));
});

afterAll(async () => {
  await anvil?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test("a transaction that is not mined in time is replaced with the same nonce and a higher fee; one mint happens", async () => {
  const server = await startServer(
    loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", RPC_URL: anvil.rpcUrl }),
    { replaceStuckAfterMs: 1_000 },
  );
  const client = createPublicClient({ transport: http(anvil.rpcUrl) });
  const recipient: Address = getAddress("0x000000000000000000000000000000000000d00d");
  let jobId: string;
  try {
    const call = createApiClient(server.url);
    const issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!);
    const editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 10);

    // The chain stops mining: the first transaction sits in the mempool.
    await client.request({ method: "evm_setAutomine" as never, params: [false] as never });
    const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "stuck-1" },
      body: { to: recipient, quantity: 2 },
    });
    jobId = accepted.body.jobId;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await client.request({ method: "evm_setAutomine" as never, params: [true] as never });
    await client.request({ method: "evm_mine" as never, params: [] as never });

    const job = await waitForJob<{ state: string; transactions: string[] }>(call, issuer.apiKey, jobId);
    expect(job.state).toBe("completed");
    expect(
      await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [recipient] }),
    ).toBe(2n);
    const minedTx = await client.getTransaction({ hash: job.transactions[0] as `0x${string}` });
    expect(minedTx.maxFeePerGas).toBeGreaterThan(0n);
  } finally {
    await server.stop();
  }

  // The database shows the replacement: one mined attempt and at least one replaced, all with one nonce.
  const db = await openPglite({ dataDir: path.join(dataDir, "db") });
  try {
    const { rows } = await db.query<{ state: string; nonce: bigint }>(
      "SELECT state, nonce FROM chain_transactions WHERE job_id = $1 ORDER BY created_at",
      [jobId!],
    );
    expect(rows.filter((row) => row.state === "mined")).toHaveLength(1);
    expect(rows.filter((row) => row.state === "replaced").length).toBeGreaterThanOrEqual(1);
    expect(new Set(rows.map((row) => row.nonce)).size).toBe(1);
  } finally {
    await db.close();
  }
});
