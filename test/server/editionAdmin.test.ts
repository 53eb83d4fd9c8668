import type { Address, Hex } from "viem";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient } from "../support/httpClient.js";

import { createPublicClient, createWalletClient, getAddress, http, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { errorCode } from "../support/httpClient.js";
import { startTestPlatform, type TestPlatform } from "../support/startTestPlatform.js";
import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";

let platform: TestPlatform;
let server: RunningServer;
let call: ApiClient;
let issuer: { issuerId: string; apiKey: string; collection: Address };

interface IssuedVoucher {
  voucher: { editionId: string; to: Address; quantity: string; nonce: string; deadline: string };
  signature: Hex;
}

beforeAll(async () => {
  platform = await startTestPlatform("admin");
  ({ server, call } = platform);
  issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!);
});

afterAll(async () => {
  await platform?.stop();
});

describe("vouchers", () => {
  test("a signed voucher is redeemable on-chain by anyone, minting to its recipient", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const collector = getAddress(`0x${keccak256(toHex("voucher-collector")).slice(-40)}`);
    const issued = await call<{
      voucher: { editionId: string; to: Address; quantity: string; nonce: string; deadline: string };
      signature: Hex;
    }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/vouchers`, {
      key: issuer.apiKey,
      body: { to: collector, quantity: 2 },
    });
    expect(issued.status).toBe(201);

    // A relayer (another funded account) submits it.
    const relayer = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[3]!);
    const chain = { ...foundry, rpcUrls: { default: { http: [server.rpcUrl] } } };
    const wallet = createWalletClient({ account: relayer, chain, transport: http(server.rpcUrl) });
    const client = createPublicClient({ chain, transport: http(server.rpcUrl) });
    const voucher = {
      editionId: BigInt(issued.body.voucher.editionId),
      to: issued.body.voucher.to,
      quantity: BigInt(issued.body.voucher.quantity),
      nonce: BigInt(issued.body.voucher.nonce),
      deadline: BigInt(issued.body.voucher.deadline),
    };
    const hash = await wallet.writeContract({
      address: issuer.collection,
      abi: vermilionCollectionAbi,
      functionName: "redeem",
      args: [voucher, issued.body.signature],
    });
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(
      await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [collector] }),
    ).toBe(2n);
  });

  test("a voucher holds its quantity of the supply until it is redeemed or expires", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 3);
    const collector = getAddress(`0x${keccak256(toHex("reserving-collector")).slice(-40)}`);
    const vouchers = `/api/collections/${issuer.collection}/editions/${editionId}/vouchers`;
    const mintRoute = `/api/collections/${issuer.collection}/editions/${editionId}/mint`;
    const chain = { ...foundry, rpcUrls: { default: { http: [server.rpcUrl] } } };
    const client = createPublicClient({ chain, transport: http(server.rpcUrl) });

    const longLived = await call<IssuedVoucher>("POST", vouchers, { key: issuer.apiKey, body: { to: collector, quantity: 2 } });
    expect(longLived.status).toBe(201);
    // 3 - 2 promised: a mint of 2 and a second voucher of 2 are refused, a mint of 1 fits.
    const tooMany = await call("POST", mintRoute, { key: issuer.apiKey, headers: { "idempotency-key": "over-voucher" }, body: { to: collector, quantity: 2 } });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ error: { code: "EDITION_SOLD_OUT", details: { remaining: "1" } } });
    const secondVoucher = await call("POST", vouchers, { key: issuer.apiKey, body: { to: collector, quantity: 2 } });
    expect(errorCode(secondVoucher)).toBe("EDITION_SOLD_OUT");

    // A short-lived voucher for the last token, then the chain's clock passes its deadline: released.
    const shortLived = await call<IssuedVoucher>("POST", vouchers, { key: issuer.apiKey, body: { to: collector, quantity: 1, validForSeconds: 60 } });
    expect(shortLived.status).toBe(201);
    expect(errorCode(await call("POST", vouchers, { key: issuer.apiKey, body: { to: collector, quantity: 1 } }))).toBe("EDITION_SOLD_OUT");
    await client.request({ method: "evm_increaseTime" as never, params: [120] as never });
    await client.request({ method: "evm_mine" as never, params: [] as never });
    const fits = await call<{ jobId: string }>("POST", mintRoute, { key: issuer.apiKey, headers: { "idempotency-key": "after-expiry" }, body: { to: collector, quantity: 1 } });
    expect(fits.status).toBe(202);
    expect((await waitForJob<{ state: string }>(call, issuer.apiKey, fits.body.jobId)).state).toBe("completed");

    // Redeeming the long-lived voucher mints its 2 tokens; the edition is then exactly full.
    const relayer = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[4]!);
    const wallet = createWalletClient({ account: relayer, chain, transport: http(server.rpcUrl) });
    const { voucher } = longLived.body;
    const hash = await wallet.writeContract({
      address: issuer.collection,
      abi: vermilionCollectionAbi,
      functionName: "redeem",
      args: [
        { editionId: BigInt(voucher.editionId), to: voucher.to, quantity: BigInt(voucher.quantity), nonce: BigInt(voucher.nonce), deadline: BigInt(voucher.deadline) },
        longLived.body.signature,
      ],
    });
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
    const edition = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] });
    expect(edition.mintedCount).toBe(3n);
  });

  test("voucher input errors name the field; unknown editions are 404", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const route = `/api/collections/${issuer.collection}/editions/${editionId}/vouchers`;
    const badTo = await call("POST", route, { key: issuer.apiKey, body: { to: "nope", quantity: 1 } });
    expect(errorCode(badTo)).toBe("VALIDATION_FAILED");
    const shortLife = await call("POST", route, {
      key: issuer.apiKey,
      body: { to: `0x${"11".repeat(20)}`, quantity: 1, validForSeconds: 5 },
    });
    expect((shortLife.body as { error: { details: { field: string } } }).error.details.field).toBe("body.validForSeconds");
    const unknown = await call("POST", `/api/collections/${issuer.collection}/editions/77/vouchers`, {
      key: issuer.apiKey,
      body: { to: `0x${"11".repeat(20)}`, quantity: 1 },
    });
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown)).toBe("EDITION_NOT_FOUND");
  });
});

describe("freeze, close, pause", () => {
  test("freezing twice is refused with METADATA_FROZEN", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const route = `/api/collections/${issuer.collection}/editions/${editionId}/freeze`;
    const first = await call<{ txHash: string }>("POST", route, { key: issuer.apiKey });
    expect(first.status).toBe(200);
    expect(first.body.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const second = await call("POST", route, { key: issuer.apiKey });
    expect(second.status).toBe(409);
    expect(errorCode(second)).toBe("METADATA_FROZEN");
  });

  test("a closed edition refuses new mints with EDITION_SEALED", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    expect((await call("POST", `/api/collections/${issuer.collection}/editions/${editionId}/close`, { key: issuer.apiKey })).status).toBe(200);
    const again = await call("POST", `/api/collections/${issuer.collection}/editions/${editionId}/close`, { key: issuer.apiKey });
    expect(errorCode(again)).toBe("EDITION_SEALED");
    const mint = await call("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "after-close" },
      body: { to: `0x${"22".repeat(20)}`, quantity: 1 },
    });
    expect(mint.status).toBe(409);
    expect(errorCode(mint)).toBe("EDITION_SEALED");
  });

  test("pause and unpause map to the contract; unpausing twice is COLLECTION_NOT_PAUSED", async () => {
    const route = `/api/collections/${issuer.collection}`;
    expect((await call("POST", `${route}/pause`, { key: issuer.apiKey })).status).toBe(200);
    const client = createPublicClient({ transport: http(server.rpcUrl) });
    expect(await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "paused" })).toBe(true);
    expect((await call("POST", `${route}/unpause`, { key: issuer.apiKey })).status).toBe(200);
    const twice = await call("POST", `${route}/unpause`, { key: issuer.apiKey });
    expect(twice.status).toBe(409);
    expect(errorCode(twice)).toBe("COLLECTION_NOT_PAUSED");
  });

  test("a mint accepted while the collection is paused waits without holding up other collections, and completes once unpaused", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const route = `/api/collections/${issuer.collection}`;
    expect((await call("POST", `${route}/pause`, { key: issuer.apiKey })).status).toBe(200);
    const accepted = await call<{ jobId: string }>("POST", `${route}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "while-paused" },
      body: { to: `0x${"33".repeat(20)}`, quantity: 1 },
    });
    expect(accepted.status).toBe(202);
    // Another collection's job goes through meanwhile.
    const other = await createIssuerWithCollection(call, server.firstAdminApiKey!, "Shaanxi History Museum");
    const otherEdition = await createEditionOnChain(server.rpcUrl, other.collection, 10);
    const otherJob = await call<{ jobId: string }>("POST", `/api/collections/${other.collection}/editions/${otherEdition}/mint`, {
      key: other.apiKey,
      headers: { "idempotency-key": "not-paused" },
      body: { to: `0x${"44".repeat(20)}`, quantity: 1 },
    });
    expect((await waitForJob<{ state: string }>(call, other.apiKey, otherJob.body.jobId, 20_000)).state).toBe("completed");
    const waiting = await call<{ state: string }>("GET", `/api/jobs/${accepted.body.jobId}`, { key: issuer.apiKey });
    expect(["queued", "sending"]).toContain(waiting.body.state);
    expect((await call("POST", `${route}/unpause`, { key: issuer.apiKey })).status).toBe(200);
    const done = await waitForJob<{ state: string }>(call, issuer.apiKey, accepted.body.jobId);
    expect(done.state).toBe("completed");
  });

  test("another issuer is forbidden", async () => {
    const other = await createIssuerWithCollection(call, server.firstAdminApiKey!, "Nanjing Museum");
    const response = await call("POST", `/api/collections/${issuer.collection}/pause`, { key: other.apiKey });
    expect(response.status).toBe(403);
    expect(errorCode(response)).toBe("FORBIDDEN");
  });
});

describe("rate limits", () => {
  test("past the limit a client gets 429 RATE_LIMITED with Retry-After", async () => {
    const limited = await startTestPlatform("limits", { RATE_LIMIT_API_ANONYMOUS: "3/1m", RATE_LIMIT_MINT: "1/1m" });
    try {
      const limitedCall = limited.call;
      const statuses = [];
      for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await limitedCall("GET", "/api/collections")).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await limitedCall("GET", "/api/collections");
      expect(errorCode(refused)).toBe("RATE_LIMITED");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});
