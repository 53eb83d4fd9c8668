import type { Address } from "viem";

import { spawn } from "node:child_process";
import path from "node:path";

import { createPublicClient, http } from "viem";
import { afterAll, expect, test } from "vitest";

import { createIndexer } from "../../server/indexer/createIndexer.js";
import { deployVermilion } from "../support/deployVermilion.js";
import { dumpIndex } from "../support/dumpIndex.js";
import { TEST_POSTGRES_URL, openTestDatabase } from "../support/openTestDatabase.js";
import { startAnvil } from "../support/startAnvil.js";

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const MINT_TRANSACTIONS = 8;
const TOKENS_PER_MINT = 500;

test("kill -9 mid-backfill of thousands of events, restart: PostgreSQL holds exactly a fresh re-index", async () => {
  const anvil = await startAnvil();
  cleanups.push(() => anvil.stop());
  const chain = await deployVermilion(anvil.rpcUrl);
  const [, , alice, bob] = chain.accounts as [Address, Address, Address, Address];
  const collection = await chain.createCollection("Crash");
  const editionId = await chain.createEdition(collection, { maxSupply: 100_000 });
  for (let index = 0; index < MINT_TRANSACTIONS; index++) {
    await chain.mint(collection, editionId, index % 2 === 0 ? alice : bob, TOKENS_PER_MINT);
    await chain.transfer(collection, index % 2 === 0 ? alice : bob, index % 2 === 0 ? bob : alice, 1_000_001n + BigInt(index * TOKENS_PER_MINT));
  }
  const head = await chain.publicClient.getBlockNumber();

  const crashed = await openTestDatabase("postgres");
  cleanups.push(() => crashed.dispose());
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(import.meta.dirname, "..", "support", "runIndexerProcess.ts"),
      JSON.stringify({
        rpcUrl: anvil.rpcUrl,
        connectionString: TEST_POSTGRES_URL,
        schema: crashed.schema,
        factoryAddress: chain.factoryAddress,
        fromBlock: chain.factoryBlock.toString(),
        maxBlockRange: 2,
      }),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  cleanups.push(async () => {
    child.kill("SIGKILL");
    await exited;
  });
  // Kill it after a few ranges committed and well before the head.
  const killAt = chain.factoryBlock + 6n;
  await new Promise<void>((resolve, reject) => {
    child.once("exit", () => reject(new Error("indexer process exited before the kill")));
    child.stdout?.on("data", (chunk: Buffer) => {
      const blocks = [...chunk.toString().matchAll(/checkpoint (\d+)/g)].map((match) => BigInt(match[1] ?? 0));
      if (blocks.some((block) => block >= killAt)) resolve();
    });
  });
  child.kill("SIGKILL");
  await exited;
  const { rows } = await crashed.db.query<{ block_number: bigint }>("SELECT block_number FROM indexer_checkpoints");
  const checkpointAtKill = rows[0]?.block_number ?? 0n;
  expect(checkpointAtKill).toBeGreaterThanOrEqual(killAt);
  expect(checkpointAtKill).toBeLessThan(head);

  const restarted = createIndexer({
    db: crashed.db,
    publicClient: createPublicClient({ transport: http(anvil.rpcUrl) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    maxBlockRange: 2,
    pollIntervalMs: 20,
  });
  await restarted.start();
  await restarted.waitUntilSynced(head, 120_000);
  await restarted.stop();

  const fresh = await openTestDatabase("postgres");
  cleanups.push(() => fresh.dispose());
  const freshIndexer = createIndexer({
    db: fresh.db,
    publicClient: createPublicClient({ transport: http(anvil.rpcUrl) }),
    factoryAddress: chain.factoryAddress,
    fromBlock: chain.factoryBlock,
    pollIntervalMs: 20,
  });
  await freshIndexer.start();
  await freshIndexer.waitUntilSynced(head, 120_000);
  await freshIndexer.stop();

  const afterCrash = await dumpIndex(crashed.db);
  expect(afterCrash.indexer_transfers).toHaveLength(MINT_TRANSACTIONS * (TOKENS_PER_MINT + 1));
  expect(afterCrash).toEqual(await dumpIndex(fresh.db));
}, 180_000);
