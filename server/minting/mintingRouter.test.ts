import type { ListeningServer } from "../../test/support/listen.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";

import pino from "pino";
import { afterAll, beforeAll, expect, test } from "vitest";

import { listen } from "../../test/support/listen.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { createApp } from "../app.js";
import { createChainClients } from "../chain/createChainClients.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";
import { createMemoryRateLimitCounter } from "../http/createRateLimitCounter.js";
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
    rateLimit: { counter: createMemoryRateLimitCounter(), mint: { name: "mint", limit: 2, windowMs: 60_000 } },
    onJobAccepted: () => {},
  });
  server = await listen(createApp({ logger: pino({ level: "silent" }), routers: [router] }));
});

afterAll(async () => {
  await server?.close();
  await testDatabase?.dispose();
});

test("the router limits mint submissions itself: past its mint limit a client gets 429 RATE_LIMITED, its job reads are not counted", async () => {
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
