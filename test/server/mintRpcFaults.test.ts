import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";
import type { FaultyRpcProxy, RpcFault } from "../support/startFaultyRpcProxy.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, getAddress, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { startAnvil } from "../../server/chain/startAnvil.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS, loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../support/httpClient.js";
import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { startFaultyRpcProxy } from "../support/startFaultyRpcProxy.js";

let anvil: StartAnvilReturnType;
let proxy: FaultyRpcProxy;
let dataDir: string;
let faultsOn = false;

beforeAll(async () => {
  anvil = await startAnvil();
  // Once switched on: every third call fails with 500, every seventh with 429, every eleventh is slow.
  proxy = await startFaultyRpcProxy({
    targetUrl: anvil.rpcUrl,
    slowMs: 1_500,
    faultFor: (index): RpcFault | null => {
      if (!faultsOn) return null;
      if (index % 3 === 0) return "http500";
      if (index % 7 === 0) return "http429";
      if (index % 11 === 0) return "slow";
      return null;
    },
  });
  dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-rpc-faults-"));
});

afterAll(async () => {
  await proxy?.stop();
  await anvil?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test("a mint job rides out 500s, 429s, slow answers and an outage of the RPC, with no nonce gap", async () => {
  const server = await startServer(loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", RPC_URL: proxy.url }));
  try {
    const call = createApiClient(server.url);
    const issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!);
    const editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 1_000);

    const recipients = Array.from({ length: 450 }, (_, index) => getAddress(`0x${(index + 1).toString(16).padStart(40, "0")}`));
    const submit = () =>
      call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
        key: issuer.apiKey,
        headers: { "idempotency-key": "through-faults" },
        body: { recipients },
      });
    // From here the node fails often; a client retries its request (same Idempotency-Key) on 503.
    faultsOn = true;
    let accepted = await submit();
    for (let attempt = 0; accepted.status === 503 && attempt < 10; attempt += 1) accepted = await submit();
    expect(accepted.status).toBe(202);
    const jobId = accepted.body.jobId;
    // While the sender works through its three transactions, the node goes away for 2 s.
    proxy.down = true;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    proxy.down = false;

    const job = await waitForJob<{ state: string; transactions: string[] }>(call, issuer.apiKey, jobId, 120_000);
    faultsOn = false;
    expect(job.state).toBe("completed");
    expect(job.transactions).toHaveLength(3);
    expect(proxy.counts.http500 + proxy.counts.http429 + proxy.counts.down).toBeGreaterThan(0);

    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const edition = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] });
    expect(edition.mintedCount).toBe(450n);
    const signer = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[0]!).address;
    expect(await client.getTransactionCount({ address: signer, blockTag: "pending" })).toBe(
      await client.getTransactionCount({ address: signer, blockTag: "latest" }),
    );
  } finally {
    faultsOn = false;
    await server.stop();
  }
}, 180_000);
