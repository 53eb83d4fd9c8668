import type { ClaimCodeListItem, ClaimView } from "../../server/views/claimView.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { getAddress, keccak256, toHex } from "viem";
import { afterAll, expect, test } from "vitest";

import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../support/httpClient.js";
import { seedMigratedPglite } from "../support/pgliteTemplate.js";
import { createEditionOnChain, createIssuerWithCollection } from "../support/platformFixture.js";

const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test("codes claimed just before a stop, not yet dispatched, are dispatched by the next start's sweep and minted once", async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-claims-restart-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  await seedMigratedPglite(path.join(dataDir, "db"));
  const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent" });

  const first = await startServer(config);
  let codes: string[] = [];
  const recipients = [0, 1, 2].map((n) => getAddress(`0x${keccak256(toHex(`restart-claim-${n}`)).slice(-40)}`).toLowerCase());
  try {
    const call = createApiClient(first.url);
    const issuer = await createIssuerWithCollection(call, first.firstAdminApiKey!);
    const editionId = await createEditionOnChain(first.rpcUrl, issuer.collection, 5);
    const batch = await call<{ batchId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/claim-batches`, {
      key: issuer.apiKey,
      body: { count: 3, validForSeconds: 3600 },
    });
    codes = (await call<{ codes: ClaimCodeListItem[] }>("GET", `/api/claim-batches/${batch.body.batchId}/codes`, { key: issuer.apiKey })).body.codes.map((item) => item.code);
    const answers = await Promise.all(codes.map((code, n) => call("POST", `/api/claims/${code}`, { body: { to: recipients[n] } })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    // Within the dispatcher's gathering second: bound, not yet in a job.
    const states = await Promise.all(codes.map(async (code) => (await call<ClaimView>("GET", `/api/claims/${code}`)).body.state));
    expect(states).toEqual(["claimed", "claimed", "claimed"]);
  } finally {
    await first.stop();
  }

  const second = await startServer(config);
  try {
    const call = createApiClient(second.url);
    const deadline = Date.now() + 60_000;
    let claims: ClaimView[] = [];
    for (;;) {
      claims = await Promise.all(codes.map(async (code) => (await call<ClaimView>("GET", `/api/claims/${code}`)).body));
      if (claims.every((claim) => claim.state === "minted") || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(claims.map((claim) => [claim.state, claim.recipient])).toEqual(recipients.map((recipient) => ["minted", recipient]));
    expect(new Set(claims.map((claim) => claim.tokenId)).size).toBe(3);
  } finally {
    await second.stop();
  }
}, 180_000);
