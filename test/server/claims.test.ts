import type { Address } from "viem";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ClaimBatchView, ClaimCodeListItem, ClaimView } from "../../server/views/claimView.js";
import type { ApiClient } from "../support/httpClient.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import { createPublicClient, getAddress, http, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { errorCode } from "../support/httpClient.js";
import { createEditionOnChain, createIssuerWithCollection } from "../support/platformFixture.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

/*
 * Claim codes over HTTP against a real Anvil and PGlite: batches reserve supply, codes bind once however
 * many claims race, holds keep a code seen in transit for the device that opened it, and claimed codes
 * are minted in a few airdrop transactions. Rate limits are off: the test is one client making
 * thousands of requests.
 */

let platform: TestPlatform;
let server: RunningServer;
let call: ApiClient;
let issuer: { issuerId: string; apiKey: string; collection: Address };

function visitor(label: string, n: number): Address {
  return getAddress(`0x${keccak256(toHex(`claim-visitor-${label}-${n}`)).slice(-40)}`);
}

function publicClient() {
  return createPublicClient({ transport: http(server.rpcUrl) });
}

function mintedCount(editionId: bigint): Promise<bigint> {
  return publicClient()
    .readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] })
    .then((edition) => edition.mintedCount);
}

async function createBatch(editionId: bigint, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call<ClaimBatchView>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/claim-batches`, {
    key: issuer.apiKey,
    body,
    headers,
  });
}

async function codesOf(batchId: string): Promise<ClaimCodeListItem[]> {
  const listed = await call<{ codes: ClaimCodeListItem[] }>("GET", `/api/claim-batches/${batchId}/codes`, { key: issuer.apiKey });
  expect(listed.status).toBe(200);
  return listed.body.codes;
}

/** Polls a code until it is minted (or failed), as its page does. */
async function waitForMinted(code: string, timeoutMs = 60_000): Promise<ClaimView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const claim = await call<ClaimView>("GET", `/api/claims/${code}`);
    if (claim.body.state === "minted" || claim.body.state === "failed") return claim.body;
    if (Date.now() > deadline) throw new Error(`claim ${code} still ${claim.body.state}: ${JSON.stringify(claim.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** `work` over `items`, `inFlight` at a time (a thousand sockets at once overflow the listen backlog). */
async function inPool<Item, Result>(items: readonly Item[], inFlight: number, work: (item: Item, index: number) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = new Array<Result>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

beforeAll(async () => {
  platform = await startTestPlatform("claims", { RATE_LIMIT_API_ANONYMOUS: "off", RATE_LIMIT_API_KEY: "off", RATE_LIMIT_CLAIM: "off" });
  ({ server, call } = platform);
  issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!, "Shanghai Museum");
});

afterAll(async () => {
  await platform?.stop();
});

describe("claim codes", () => {
  test("50 concurrent claims of one code bind it to one address and mint one token; the winner's repeat gets the same answer", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const batch = await createBatch(editionId, { count: 1, validForSeconds: 3600, label: "single" });
    expect(batch.status).toBe(201);
    const [only] = await codesOf(batch.body.batchId);
    // Ten claims for one address and forty for forty others, all at once.
    const recipients = Array.from({ length: 50 }, (_, n) => (n < 10 ? visitor("race", 0) : visitor("race", n)));
    const answers = await Promise.all(recipients.map((to) => call<ClaimView>("POST", `/api/claims/${only!.code}`, { body: { to } })));

    const bound = answers.filter((answer) => answer.status === 200);
    const winner = bound[0]!.body.recipient;
    expect(bound.every((answer) => answer.body.recipient === winner)).toBe(true);
    expect(bound.length).toBe(recipients.filter((to) => to.toLowerCase() === winner).length);
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(refused.map((answer) => [answer.status, errorCode(answer)])).toEqual(refused.map(() => [409, "CLAIM_CODE_USED"]));

    const minted = await waitForMinted(only!.code);
    expect(minted).toMatchObject({ state: "minted", recipient: winner, serial: 1 });
    expect(await mintedCount(editionId)).toBe(1n);
    const owner = await publicClient().readContract({
      address: issuer.collection,
      abi: vermilionCollectionAbi,
      functionName: "ownerOf",
      args: [BigInt(minted.tokenId!)],
    });
    expect(owner.toLowerCase()).toBe(winner);
    const again = await call<ClaimView>("POST", `/api/claims/${only!.code}`, { body: { to: getAddress(winner!) } });
    expect(again).toMatchObject({ status: 200, body: { state: "minted", recipient: winner, tokenId: minted.tokenId } });
    const counts = await call<ClaimBatchView>("GET", `/api/claim-batches/${batch.body.batchId}`, { key: issuer.apiKey });
    expect(counts.body.counts).toMatchObject({ minted: 1, open: 0 });
  });

  test("1,000 codes claimed concurrently (200 in flight) by 1,000 addresses mint 1,000 tokens, each once, in a few transactions; chain and index agree", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 1000);
    const batch = await createBatch(editionId, { count: 1000, validForSeconds: 3600 });
    expect(batch.status).toBe(201);
    const codes = await codesOf(batch.body.batchId);
    expect(new Set(codes.map((item) => item.code)).size).toBe(1000);
    const recipients = codes.map((_, n) => visitor("thousand", n).toLowerCase());

    // 200 claims in flight at any moment until all 1,000 are in.
    const answers = await inPool(codes, 200, (item, n) => call<ClaimView>("POST", `/api/claims/${item.code}`, { body: { to: recipients[n] } }));
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);

    const batchDeadline = Date.now() + 180_000;
    while ((await call<ClaimBatchView>("GET", `/api/claim-batches/${batch.body.batchId}`, { key: issuer.apiKey })).body.counts.minted < 1000) {
      if (Date.now() > batchDeadline) throw new Error("the 1,000 claims were not all minted in time");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const minted = await inPool(codes, 50, (item) => waitForMinted(item.code));
    expect(minted.filter((claim) => claim.state !== "minted")).toEqual([]);
    const tokenIds = minted.map((claim) => claim.tokenId!);
    expect(new Set(tokenIds).size).toBe(1000);
    expect(new Set(minted.map((claim) => claim.serial)).size).toBe(1000);
    // Gathered once a second into airdrops of up to 200 recipients: a few transactions, not a thousand.
    const transactions = new Set(minted.map((claim) => claim.txHash));
    console.info(`1,000 claims were minted in ${transactions.size} transactions`);
    expect(transactions.size).toBeLessThanOrEqual(30);
    expect(await mintedCount(editionId)).toBe(1000n);

    // On chain: every token is owned by the address its code was claimed for.
    const client = publicClient();
    const owners = await inPool(tokenIds, 50, (tokenId) =>
      client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [BigInt(tokenId)] }),
    );
    expect(owners.map((owner) => owner.toLowerCase())).toEqual(recipients);

    // In the index: the same 1,000 owners, once the indexer has caught up.
    const expected = new Map(tokenIds.map((tokenId, n) => [tokenId, recipients[n]]));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const indexed = new Map<string, string>();
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { tokens: Array<{ tokenId: string; owner: string }>; nextCursor: string | null } } = await call(
          "GET",
          `/api/collections/${issuer.collection}/editions/${editionId}/tokens?limit=200${cursor ? `&cursor=${cursor}` : ""}`,
        );
        if (page.status !== 200) break;
        for (const token of page.body.tokens) indexed.set(token.tokenId, token.owner.toLowerCase());
        cursor = page.body.nextCursor;
      } while (cursor);
      if (indexed.size === 1000) {
        expect(indexed).toEqual(expected);
        break;
      }
      if (Date.now() > deadline) throw new Error(`the index holds ${indexed.size} of 1000 tokens`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 300_000);

  test("a cancelled code is refused with CLAIM_CODE_CANCELLED and its supply is free again at once; so is a cancelled batch's", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 3);
    const batch = await createBatch(editionId, { count: 3, validForSeconds: 3600 });
    expect(batch.status).toBe(201);
    const mint = (key: string) =>
      call("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
        key: issuer.apiKey,
        headers: { "idempotency-key": key },
        body: { to: visitor("cancel", 99), quantity: 1 },
      });
    const soldOut = await mint("claims-cancel-1");
    expect([soldOut.status, errorCode(soldOut)]).toEqual([409, "EDITION_SOLD_OUT"]);
    const overBatch = await createBatch(editionId, { count: 1, validForSeconds: 3600 });
    expect([overBatch.status, errorCode(overBatch)]).toEqual([409, "EDITION_SOLD_OUT"]);

    const codes = await codesOf(batch.body.batchId);
    const cancelled = await call<ClaimBatchView>("POST", `/api/claim-batches/${batch.body.batchId}/codes/1/cancel`, { key: issuer.apiKey });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.counts).toMatchObject({ cancelled: 1, open: 2 });
    const refused = await call("POST", `/api/claims/${codes[0]!.code}`, { body: { to: visitor("cancel", 1) } });
    expect([refused.status, errorCode(refused)]).toEqual([410, "CLAIM_CODE_CANCELLED"]);
    const view = await call<ClaimView>("GET", `/api/claims/${codes[0]!.code}`);
    expect(view.body.state).toBe("cancelled");
    expect((await mint("claims-cancel-2")).status).toBe(202);

    // Code 2 is claimed first: cancelling the batch leaves it bound, and frees code 3.
    expect((await call("POST", `/api/claims/${codes[1]!.code}`, { body: { to: visitor("cancel", 2) } })).status).toBe(200);
    const boundCancel = await call("POST", `/api/claim-batches/${batch.body.batchId}/codes/2/cancel`, { key: issuer.apiKey });
    expect([boundCancel.status, errorCode(boundCancel)]).toEqual([409, "CLAIM_CODE_USED"]);
    const whole = await call<ClaimBatchView>("POST", `/api/claim-batches/${batch.body.batchId}/cancel`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "cancel-batch-1" },
    });
    expect(whole.status).toBe(200);
    expect(whole.body.cancelledAt).not.toBeNull();
    expect(whole.body.counts.cancelled).toBe(2);
    const replayed = await call("POST", `/api/claim-batches/${batch.body.batchId}/cancel`, { key: issuer.apiKey, headers: { "idempotency-key": "cancel-batch-1" } });
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    const third = await call("POST", `/api/claims/${codes[2]!.code}`, { body: { to: visitor("cancel", 3) } });
    expect([third.status, errorCode(third)]).toEqual([410, "CLAIM_CODE_CANCELLED"]);
    expect((await mint("claims-cancel-3")).status).toBe(202);
    expect(await waitForMinted(codes[1]!.code)).toMatchObject({ state: "minted", recipient: visitor("cancel", 2).toLowerCase() });
  });

  test("an expired code is refused with CLAIM_CODE_EXPIRED, and holds no supply", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 1);
    const batch = await createBatch(editionId, { count: 1, expiresAt: new Date(Date.now() + 1_500).toISOString() });
    expect(batch.status).toBe(201);
    const [only] = await codesOf(batch.body.batchId);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const refused = await call("POST", `/api/claims/${only!.code}`, { body: { to: visitor("expired", 1) } });
    expect([refused.status, errorCode(refused)]).toEqual([410, "CLAIM_CODE_EXPIRED"]);
    const hold = await call("POST", `/api/claims/${only!.code}/hold`, { body: {} });
    expect([hold.status, errorCode(hold)]).toEqual([410, "CLAIM_CODE_EXPIRED"]);
    expect((await call<ClaimView>("GET", `/api/claims/${only!.code}`)).body.state).toBe("expired");
    const another = await createBatch(editionId, { count: 1, validForSeconds: 3600 });
    expect(another.status).toBe(201);
    const past = await createBatch(editionId, { count: 1, expiresAt: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
  });

  test("a held code binds only with its hold token: a claim without it, or another device's hold, is refused with CLAIM_CODE_HELD", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 5);
    const batch = await createBatch(editionId, { count: 1, validForSeconds: 3600 });
    const [only] = await codesOf(batch.body.batchId);
    const held = await call<{ holdToken: string; heldUntil: string; claim: ClaimView }>("POST", `/api/claims/${only!.code}/hold`, { body: {} });
    expect(held.status).toBe(200);
    expect(held.body.claim.state).toBe("held");
    expect(Date.parse(held.body.heldUntil)).toBeGreaterThan(Date.now() + 5 * 60_000);

    const photographed = await call("POST", `/api/claims/${only!.code}`, { body: { to: visitor("held", 1) } });
    expect([photographed.status, errorCode(photographed)]).toEqual([409, "CLAIM_CODE_HELD"]);
    const otherDevice = await call("POST", `/api/claims/${only!.code}/hold`, { body: {} });
    expect([otherDevice.status, errorCode(otherDevice)]).toEqual([409, "CLAIM_CODE_HELD"]);
    const wrongToken = await call("POST", `/api/claims/${only!.code}`, { body: { to: visitor("held", 1), holdToken: "x".repeat(32) } });
    expect([wrongToken.status, errorCode(wrongToken)]).toEqual([409, "CLAIM_CODE_HELD"]);
    const renewed = await call<{ holdToken: string }>("POST", `/api/claims/${only!.code}/hold`, { body: { holdToken: held.body.holdToken } });
    expect(renewed).toMatchObject({ status: 200, body: { holdToken: held.body.holdToken } });

    // Typed in lower case with dashes, as a visitor might: the same code.
    const typed = only!.code.toLowerCase().match(/.{1,5}/g)!.join("-");
    const claimed = await call<ClaimView>("POST", `/api/claims/${typed}`, { body: { to: visitor("held", 2), holdToken: held.body.holdToken } });
    expect(claimed.status).toBe(200);
    expect(["claimed", "minting", "minted"]).toContain(claimed.body.state);
    const stolen = await call("POST", `/api/claims/${only!.code}`, { body: { to: visitor("held", 1), holdToken: held.body.holdToken } });
    expect([stolen.status, errorCode(stolen)]).toEqual([409, "CLAIM_CODE_USED"]);
    const holdAfter = await call("POST", `/api/claims/${only!.code}/hold`, { body: { holdToken: held.body.holdToken } });
    expect([holdAfter.status, errorCode(holdAfter)]).toEqual([409, "CLAIM_CODE_USED"]);
  });

  test("unknown and malformed codes: 404 CLAIM_CODE_NOT_FOUND and 400 naming the field", async () => {
    const unknown = await call("GET", `/api/claims/${"0".repeat(20)}`);
    expect([unknown.status, errorCode(unknown)]).toEqual([404, "CLAIM_CODE_NOT_FOUND"]);
    const claimUnknown = await call("POST", `/api/claims/${"1".repeat(20)}`, { body: { to: visitor("unknown", 1) } });
    expect([claimUnknown.status, errorCode(claimUnknown)]).toEqual([404, "CLAIM_CODE_NOT_FOUND"]);
    const malformed = await call<{ error: { details: { field: string } } }>("GET", "/api/claims/not-a-code");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.field).toBe("params.code");
    const badAddress = await call<{ error: { details: { field: string } } }>("POST", `/api/claims/${"2".repeat(20)}`, { body: { to: "0x123" } });
    expect(badAddress.status).toBe(400);
    expect(badAddress.body.error.details.field).toBe("body.to");
  });

  test("batches: idempotent creation, listed per edition with counts, codes as CSV; another issuer sees none of it", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 20);
    const first = await createBatch(editionId, { count: 4, validForSeconds: 600, label: "Hall 2" }, { "idempotency-key": "batch-hall-2" });
    const retried = await createBatch(editionId, { count: 4, validForSeconds: 600, label: "Hall 2" }, { "idempotency-key": "batch-hall-2" });
    expect(first.status).toBe(201);
    expect(retried).toMatchObject({ status: 201, body: { batchId: first.body.batchId } });
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    const reused = await createBatch(editionId, { count: 5, validForSeconds: 600 }, { "idempotency-key": "batch-hall-2" });
    expect([reused.status, errorCode(reused)]).toEqual([409, "IDEMPOTENCY_KEY_REUSED"]);

    const listed = await call<{ batches: ClaimBatchView[] }>("GET", `/api/collections/${issuer.collection}/editions/${editionId}/claim-batches`, { key: issuer.apiKey });
    expect(listed.body.batches).toHaveLength(1);
    expect(listed.body.batches[0]).toMatchObject({ label: "Hall 2", count: 4, counts: { open: 4, claimed: 0, expired: 0, cancelled: 0 } });

    const csv = await fetch(`${server.url}/api/claim-batches/${first.body.batchId}/codes.csv`, { headers: { authorization: `Bearer ${issuer.apiKey}` } });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    const codes = await codesOf(first.body.batchId);
    expect(lines[0]).toBe("number,code,url,state");
    expect(lines.slice(1)).toEqual(codes.map((item) => `${item.number},${item.code},${server.url}/claim/${item.code},open`));
    // Derived, not stored: the same codes every time they are downloaded.
    expect(await codesOf(first.body.batchId)).toEqual(codes);

    const stranger = await createIssuerWithCollection(call, server.firstAdminApiKey!, "Another Museum");
    const hidden = await call("GET", `/api/claim-batches/${first.body.batchId}/codes`, { key: stranger.apiKey });
    expect([hidden.status, errorCode(hidden)]).toEqual([404, "NOT_FOUND"]);
    const foreignEdition = await call("POST", `/api/collections/${issuer.collection}/editions/${editionId}/claim-batches`, {
      key: stranger.apiKey,
      body: { count: 1, validForSeconds: 600 },
    });
    expect([foreignEdition.status, errorCode(foreignEdition)]).toEqual([403, "FORBIDDEN"]);
    const fieldOf = (answer: { body: unknown }) => (answer.body as { error: { details: { field: string } } }).error.details.field;
    const both = await createBatch(editionId, { count: 1, validForSeconds: 600, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect([both.status, fieldOf(both)]).toEqual([400, "body.validForSeconds"]);
    for (const count of [0, 10_001, 1.5, "10"]) {
      const refused = await createBatch(editionId, { count, validForSeconds: 600 });
      expect([refused.status, fieldOf(refused)]).toEqual([400, "body.count"]);
    }
    const badBatch = await call("GET", "/api/claim-batches/not-a-uuid", { key: issuer.apiKey });
    expect([badBatch.status, fieldOf(badBatch)]).toEqual([400, "params.batchId"]);
    const badNumber = await call("POST", `/api/claim-batches/${first.body.batchId}/codes/0/cancel`, { key: issuer.apiKey });
    expect([badNumber.status, fieldOf(badNumber)]).toEqual([400, "params.number"]);
    const noSuchNumber = await call("POST", `/api/claim-batches/${first.body.batchId}/codes/99/cancel`, { key: issuer.apiKey });
    expect([noSuchNumber.status, errorCode(noSuchNumber)]).toEqual([404, "NOT_FOUND"]);
  });
});
