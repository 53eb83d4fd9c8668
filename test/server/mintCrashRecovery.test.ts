import type { Address } from "viem";
import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";
import type { MintFaultPoint } from "../../server/minting/createMintSender.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, getAddress, http, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { startAnvil } from "../../server/chain/startAnvil.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { createApiClient } from "../support/httpClient.js";
import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { spawnServer } from "../support/spawnServer.js";
import { privateKeyToAccount } from "viem/accounts";

const ADMIN_API_KEY = "test-admin-key-0123456789abcdef";

let anvil: StartAnvilReturnType;
const dirs: string[] = [];

beforeAll(async () => {
  // The chain outlives the server, as a real chain does: only our process is killed.
  anvil = await startAnvil();
});

afterAll(async () => {
  await anvil?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe.each<MintFaultPoint>(["before-sign", "after-sign", "after-broadcast", "after-receipt"])(
  "kill -9 %s",
  (faultPoint) => {
    test("a restart completes the job with exactly one mint and no nonce gap", async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), `vermilion-crash-${faultPoint}-`));
      dirs.push(dataDir);
      const env = { DATA_DIR: dataDir, PORT: "0", RPC_URL: anvil.rpcUrl, ADMIN_API_KEY, LOG_LEVEL: "silent" };
      const client = createPublicClient({ transport: http(anvil.rpcUrl) });
      const signer = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[0]!).address;

      const first = await spawnServer({ ...env, VERMILION_TEST_CRASH_AT: faultPoint });
      const firstCall = createApiClient(first.url);
      const issuer = await createIssuerWithCollection(firstCall, ADMIN_API_KEY);
      const editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 10);
      const recipient: Address = getAddress(`0x${keccak256(toHex(`crash-${faultPoint}`)).slice(-40)}`);
      const mint = {
        key: issuer.apiKey,
        headers: { "idempotency-key": `crash-${faultPoint}` },
        body: { to: recipient, quantity: 2 },
      };
      const route = `/api/collections/${issuer.collection}/editions/${editionId}/mint`;
      // The process may die before it answers: the idempotency key recovers the job after restart.
      await firstCall("POST", route, mint).catch(() => undefined);
      const ended = await first.exited;
      // tsx runs the server in a child Node process and exits with 128 + 9 when it is killed.
      expect(ended.signal === "SIGKILL" || ended.code === 137, `${JSON.stringify(ended)} ${first.output()}`).toBe(true);

      const second = await spawnServer(env);
      try {
        const secondCall = createApiClient(second.url);
        const again = await secondCall<{ jobId: string; created: boolean }>("POST", route, mint);
        expect(again.status).toBe(202);
        expect(again.body.created).toBe(false);
        const job = await waitForJob<{ state: string; tokenIds: string[]; transactions: string[] }>(
          secondCall,
          issuer.apiKey,
          again.body.jobId,
        );
        expect(job.state).toBe("completed");
        expect(job.transactions).toHaveLength(1);
        expect(
          await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [recipient] }),
        ).toBe(2n);
        const edition = await client.readContract({
          address: issuer.collection,
          abi: vermilionCollectionAbi,
          functionName: "edition",
          args: [editionId],
        });
        expect(edition.mintedCount).toBe(2n);
        // No nonce gap: nothing is stuck pending behind a skipped nonce.
        expect(await client.getTransactionCount({ address: signer, blockTag: "pending" })).toBe(
          await client.getTransactionCount({ address: signer, blockTag: "latest" }),
        );
      } finally {
        second.child.kill("SIGTERM");
        await second.exited;
      }
    });
  },
);
