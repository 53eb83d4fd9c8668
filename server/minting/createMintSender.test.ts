import type { StartAnvilReturnType } from "../chain/startAnvil.js";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Database } from "../db/Database.js";

import pino from "pino";
import { afterAll, beforeAll, expect, test } from "vitest";

import { createEditionOnChain } from "../../test/support/platformFixture.js";
import { createIssuer } from "../issuers/createIssuer.js";
import { createChainClients } from "../chain/createChainClients.js";
import { createWriteLock } from "../chain/createWriteLock.js";
import { ensureFactoryDeployed } from "../chain/ensureFactoryDeployed.js";
import { sendCollectionTransaction } from "../chain/sendCollectionTransaction.js";
import { startAnvil } from "../chain/startAnvil.js";
import { createCollection } from "../collections/createCollection.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";
import { migrate } from "../db/migrate.js";
import { openPglite } from "../db/openPglite.js";
import { createMintSender } from "./createMintSender.js";
import { getMintJob } from "./getMintJob.js";
import { submitMintJob } from "./submitMintJob.js";

let anvil: StartAnvilReturnType;
let db: Database;
let chain: ChainClients;

beforeAll(async () => {
  anvil = await startAnvil();
  db = await openPglite();
  await migrate(db);
  chain = createChainClients({ rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
});

afterAll(async () => {
  await db?.close();
  await anvil?.stop();
});

async function waitForState(jobId: string, states: string[]): Promise<Awaited<ReturnType<typeof getMintJob>>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await getMintJob(db, jobId);
    if (states.includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job still ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("a job the contract refuses fails with the decoded code and does not block the jobs behind it", async () => {
  const writeLock = createWriteLock();
  const { factoryAddress } = await ensureFactoryDeployed({ db, chain });
  const { issuerId } = await createIssuer(db, { name: "Issuer" });
  const collection = await createCollection({ db, chain, factoryAddress, writeLock }, { issuerId, name: "C", symbol: "C", contractURI: "" });
  const address = collection.address as `0x${string}`;
  const doomedEdition = await createEditionOnChain(anvil.rpcUrl, address, 5);
  const healthyEdition = await createEditionOnChain(anvil.rpcUrl, address, 5);
  const to = "0x000000000000000000000000000000000000bEEF";

  const doomed = await submitMintJob({ db, chain }, { issuerId, collection: address, editionId: doomedEdition, idempotencyKey: "doomed", request: { kind: "mint", to, quantity: 2 } });
  const healthy = await submitMintJob({ db, chain }, { issuerId, collection: address, editionId: healthyEdition, idempotencyKey: "healthy", request: { kind: "mint", to, quantity: 2 } });
  // The issuer closes the first edition after the job was accepted and before it is sent.
  await sendCollectionTransaction({ chain, writeLock }, { collection: address, functionName: "closeEdition", args: [doomedEdition] });

  const sender = createMintSender({ db, chain, writeLock, logger: pino({ level: "silent" }), idlePollMs: 50 });
  sender.start();
  try {
    const failed = await waitForState(doomed.jobId, ["failed", "completed"]);
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("EDITION_SEALED");
    const completed = await waitForState(healthy.jobId, ["failed", "completed"]);
    expect(completed.state).toBe("completed");
    expect(completed.tokenIds).toHaveLength(2);
  } finally {
    await sender.stop();
  }
});
