import type { ListeningServer } from "../../test/support/listen.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";

import pino from "pino";
import { afterAll, beforeAll, expect, test } from "vitest";

import { listen } from "../../test/support/listen.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { createApp } from "../app.js";
import { createChainClients } from "../chain/createChainClients.js";
import { createWriteLocks } from "../cluster/createWriteLock.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";
import { createIssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import { identifyClient } from "../auth/identifyClient.js";
import { createRateLimits } from "../http/rateLimits.js";
import { createMintingRouter } from "./mintingRouter.js";

let testDatabase: TestDatabase;
let server: ListeningServer;

beforeAll(async () => {
  testDatabase = await openTestDatabase();
  // No request in these tests gets past authentication, so the chain is never reached.
  const chain = createChainClients({ rpcUrl: "http://127.0.0.1:9", chainId: 31337, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
  const router = createMintingRouter({
    db: testDatabase.db,
    chain,
    issuerKeyring: createIssuerKeyring({ db: testDatabase.db, mnemonic: WELL_KNOWN_DEV_MNEMONIC }),
    writeLocks: createWriteLocks({ db: testDatabase.db, chainId: 31337 }),
    onJobAccepted: () => {},
  });
  const logger = pino({ level: "silent" });
  const rules = { apiAnonymous: undefined, apiKey: undefined, mint: { limit: 2, windowMs: 60_000 }, verify: undefined, upload: undefined, ipfs: undefined, voucherRelay: undefined, claim: undefined };
  server = await listen(
    createApp({
      logger,
      identifyClient: identifyClient({ db: testDatabase.db }),
      rateLimits: createRateLimits({ db: testDatabase.db, logger }, rules),
      routers: [router],
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await testDatabase?.dispose();
});

test("the mint limit counts mint submissions only: past it a client gets 429 RATE_LIMITED, its job reads are not counted", async () => {
  const mintUrl = `${server.baseUrl}/api/collections/0x00000000000000000000000000000000000000Aa/editions/1/mint`;
  const jobUrl = `${server.baseUrl}/api/jobs/00000000-0000-4000-8000-000000000001`;
  const post = () => fetch(mintUrl, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });

  const statuses = [(await post()).status, (await fetch(jobUrl)).status, (await fetch(jobUrl)).status, (await post()).status];
  const refused = await post();

  expect(statuses).toEqual([401, 401, 401, 401]);
  expect(refused.status).toBe(429);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
});
