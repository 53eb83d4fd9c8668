import type { Address, Hex } from "viem";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { IssuedVoucherView, RelayedVoucherView, VoucherListView, VoucherView } from "../../server/views/voucherView.js";
import type { ApiClient } from "../support/httpClient.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import { createPublicClient, createWalletClient, http, keccak256, getAddress, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { findContractRevert, toChainError } from "../../server/chain/decodeContractError.js";
import { mintVoucherTypedData } from "../../server/chain/mintVoucherTypedData.js";
import { parseVoucherLink } from "../../server/vouchers/voucherLink.js";
import { errorCode } from "../support/httpClient.js";
import { issuingAccount } from "../support/issuingAccount.js";
import { createEditionOnChain, createIssuerWithCollection } from "../support/platformFixture.js";
import { rpc } from "../support/rpc.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

let platform: TestPlatform;
let server: RunningServer;
let call: ApiClient;
let issuer: { issuerId: string; apiKey: string; collection: Address };
let client: ReturnType<typeof createPublicClient>;

beforeAll(async () => {
  platform = await startTestPlatform("vouchers");
  ({ server, call } = platform);
  issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!, "Palace Museum");
  client = createPublicClient({ chain: { ...foundry, id: server.chainId }, transport: http(server.rpcUrl), pollingInterval: 50 });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
});

function collectorAddress(label: string): Address {
  return getAddress(`0x${keccak256(toHex(label)).slice(-40)}`);
}

async function issue(editionId: bigint, to: Address, options: { quantity?: number; validForSeconds?: number; idempotencyKey?: string } = {}) {
  return call<IssuedVoucherView>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/vouchers`, {
    key: issuer.apiKey,
    body: { to, quantity: options.quantity ?? 1, ...(options.validForSeconds ? { validForSeconds: options.validForSeconds } : {}) },
    ...(options.idempotencyKey ? { headers: { "idempotency-key": options.idempotencyKey } } : {}),
  });
}

/** The relay's body from a voucher link alone, as the redeem page builds it. */
function relayBodyFromLink(link: string) {
  const parsed = parseVoucherLink(new URL(link, "http://vermilion.test").searchParams);
  if (!("fields" in parsed)) throw new Error(`bad link ${link}: ${parsed.invalid.join(", ")}`);
  const { chainId, collection, signature, ...voucher } = parsed.fields;
  return { chainId, collection, voucher: { editionId: voucher.editionId, to: voucher.to, quantity: voucher.quantity, nonce: voucher.nonce, deadline: voucher.deadline }, signature };
}

function relay(body: unknown) {
  return call<RelayedVoucherView>("POST", "/api/vouchers/redeem", { body });
}

function getVoucher(nonce: string) {
  return call<VoucherView>("GET", `/api/collections/${issuer.collection}/vouchers/${nonce}`);
}

async function waitForVoucher(nonce: string, until: (voucher: VoucherView) => boolean): Promise<VoucherView> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const voucher = await getVoucher(nonce);
    if (voucher.status === 200 && until(voucher.body)) return voucher.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`voucher ${nonce} never reached the expected state: ${JSON.stringify((await getVoucher(nonce)).body)}`);
}

async function increaseTime(seconds: number): Promise<void> {
  await client.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
  await client.request({ method: "evm_mine" as never, params: [] as never });
}

describe("voucher links and the relay", () => {
  test("a voucher's link carries the whole voucher: the relay redeems it from the link alone, and its state goes from open (with the serial it will yield) to redeemed (with its token ids)", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const collector = collectorAddress("link-collector");
    const issued = await issue(editionId, collector, { quantity: 2 });
    expect(issued.status).toBe(201);
    const { voucher, signature, link } = issued.body;
    expect(link.startsWith("/redeem?")).toBe(true);
    const fields = parseVoucherLink(new URL(link, "http://vermilion.test").searchParams);
    expect(fields).toEqual({
      fields: { chainId: server.chainId, collection: issuer.collection, editionId: voucher.editionId, to: voucher.to, quantity: "2", nonce: voucher.nonce, deadline: voucher.deadline, signature },
    });

    const open = await getVoucher(voucher.nonce);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ state: "open", editionId: editionId.toString(), recipient: collector.toLowerCase(), quantity: "2", deadline: voucher.deadline, serials: { first: 1, last: 2 }, tokenIds: null });
    // The signature stays in the link: the public view does not repeat it.
    expect(JSON.stringify(open.body)).not.toContain(signature.slice(2));

    const relayed = await relay(relayBodyFromLink(link));
    expect(relayed.status, JSON.stringify(relayed.body)).toBe(200);
    const firstTokenId = editionId * 1_000_000n + 1n;
    expect(relayed.body.tokenIds).toEqual([firstTokenId.toString(), (firstTokenId + 1n).toString()]);
    expect(await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [firstTokenId + 1n] })).toBe(collector);
    // Sent by the collection's operating key: the issuer's gas, not the collector's.
    const transaction = await client.getTransaction({ hash: relayed.body.txHash as Hex });
    const operating = await issuingAccount(client as never, issuer.collection);
    expect(transaction.from.toLowerCase()).toBe(operating.address.toLowerCase());

    const redeemed = await waitForVoucher(voucher.nonce, (view) => view.tokenIds !== null);
    expect(redeemed).toMatchObject({ state: "redeemed", tokenIds: relayed.body.tokenIds, redeemedTxHash: relayed.body.txHash, serials: null });

    // A repeat sends nothing: refused in its simulation.
    const again = await relay(relayBodyFromLink(link));
    expect(again.status).toBe(409);
    expect(errorCode(again)).toBe("VOUCHER_ALREADY_REDEEMED");
  }, 60_000);

  test("the relay refuses what the contract would refuse, with the reason's code, and sends nothing", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 3);
    const collector = collectorAddress("refused-collector");
    const operating = await issuingAccount(client as never, issuer.collection);
    const nonceBefore = await client.getTransactionCount({ address: operating.address });

    // Signed by a key without the issuing role.
    const stranger = privateKeyToAccount(generatePrivateKey());
    const forged = { editionId, to: collector, quantity: 1n, nonce: 424242n, deadline: 2n ** 40n };
    const forgedSignature = await stranger.signTypedData(mintVoucherTypedData(server.chainId, issuer.collection, forged));
    const asJson = (voucher: typeof forged) => ({ editionId: voucher.editionId.toString(), to: voucher.to, quantity: voucher.quantity.toString(), nonce: voucher.nonce.toString(), deadline: voucher.deadline.toString() });
    const notIssuer = await relay({ chainId: server.chainId, collection: issuer.collection, voucher: asJson(forged), signature: forgedSignature });
    expect(notIssuer.status).toBe(409);
    expect(notIssuer.body).toMatchObject({ error: { code: "VOUCHER_SIGNER_NOT_ISSUER", details: { signer: stranger.address.toLowerCase() } } });

    // More than the edition has left (signed straight with the operating key: the API would have refused to sign it).
    const tooMany = { ...forged, quantity: 4n, nonce: 515151n };
    const tooManySignature = await operating.signTypedData(mintVoucherTypedData(server.chainId, issuer.collection, tooMany));
    const soldOut = await relay({ chainId: server.chainId, collection: issuer.collection, voucher: asJson(tooMany), signature: tooManySignature });
    expect(errorCode(soldOut)).toBe("EDITION_SOLD_OUT");

    // Paused collection.
    const issued = await issue(editionId, collector);
    expect((await call("POST", `/api/collections/${issuer.collection}/pause`, { key: issuer.apiKey })).status).toBe(200);
    const paused = await relay(relayBodyFromLink(issued.body.link));
    expect(errorCode(paused)).toBe("COLLECTION_PAUSED");
    expect((await call("POST", `/api/collections/${issuer.collection}/unpause`, { key: issuer.apiKey })).status).toBe(200);

    // Another chain, another field: named.
    const wrongChain = await relay({ ...relayBodyFromLink(issued.body.link), chainId: 1 });
    expect(wrongChain.status).toBe(400);
    expect(wrongChain.body).toMatchObject({ error: { code: "VALIDATION_FAILED", details: { field: "body.chainId" } } });
    const badSignature = await relay({ ...relayBodyFromLink(issued.body.link), signature: "0x1234" });
    expect(badSignature.body).toMatchObject({ error: { code: "VALIDATION_FAILED", details: { field: "body.signature" } } });
    // A collection the platform does not run.
    const elsewhere = await relay({ ...relayBodyFromLink(issued.body.link), collection: `0x${"42".repeat(20)}` });
    expect(elsewhere.status).toBe(404);

    // Nothing of the above was sent from the operating key (pause and unpause go from the admin key).
    expect(await client.getTransactionCount({ address: operating.address })).toBe(nonceBefore);

    // Expired, by the chain's clock (the test moves it on last: every other voucher here lives a week).
    const shortLived = await issue(editionId, collector, { validForSeconds: 60 });
    await increaseTime(120);
    const expired = await relay(relayBodyFromLink(shortLived.body.link));
    expect(expired.status).toBe(410);
    expect(errorCode(expired)).toBe("VOUCHER_EXPIRED");
    expect((await getVoucher(shortLived.body.voucher.nonce)).body.state).toBe("expired");
  }, 60_000);

  test("ten relays of one voucher at once mint once: one answer with the token, the others VOUCHER_ALREADY_REDEEMED", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const collector = collectorAddress("twin-relays");
    const issued = await issue(editionId, collector);
    const answers = await Promise.all(Array.from({ length: 10 }, () => relay(relayBodyFromLink(issued.body.link))));
    const succeeded = answers.filter((answer) => answer.status === 200);
    expect(succeeded).toHaveLength(1);
    expect(answers.filter((answer) => answer.status !== 200).map(errorCode)).toEqual(Array.from({ length: 9 }, () => "VOUCHER_ALREADY_REDEEMED"));
    expect(await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "balanceOf", args: [collector] })).toBe(1n);
    const edition = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] });
    expect(edition.mintedCount).toBe(1n);
  }, 60_000);

  test("the same Idempotency-Key signs one voucher: the retry gets the first voucher again", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 1);
    const collector = collectorAddress("retrying-console");
    const first = await issue(editionId, collector, { idempotencyKey: "voucher-retry-1" });
    expect(first.status).toBe(201);
    const retry = await issue(editionId, collector, { idempotencyKey: "voucher-retry-1" });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    // The one token of the edition is promised once, not twice: a second, keyless voucher finds it sold out.
    expect(errorCode(await issue(editionId, collector))).toBe("EDITION_SOLD_OUT");
  }, 60_000);
});

describe("cancellation", () => {
  test("a cancelled voucher is refused by the relay and on chain with VOUCHER_CANCELLED, and its supply is free again at once", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 2);
    const collector = privateKeyToAccount(generatePrivateKey());
    const issued = await issue(editionId, collector.address, { quantity: 2 });
    expect(issued.status).toBe(201);
    // The voucher holds both tokens.
    expect(errorCode(await issue(editionId, collector.address))).toBe("EDITION_SOLD_OUT");

    const route = `/api/collections/${issuer.collection}/vouchers/${issued.body.voucher.nonce}/cancel`;
    const cancelled = await call<{ state: string; txHash: Hex; cancelledAt: string }>("POST", route, { key: issuer.apiKey, headers: { "idempotency-key": "cancel-1" } });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.state).toBe("cancelled");
    expect(await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "isVoucherCancelled", args: [BigInt(issued.body.voucher.nonce)] })).toBe(true);
    const replayed = await call("POST", route, { key: issuer.apiKey, headers: { "idempotency-key": "cancel-1" } });
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.body).toEqual(cancelled.body);
    // Without a key, cancelling again answers the first cancellation and sends nothing.
    const again = await call<{ txHash: Hex }>("POST", route, { key: issuer.apiKey });
    expect(again.status).toBe(200);
    expect(again.body.txHash).toBe(cancelled.body.txHash);

    // Supply: both tokens can be promised again, without waiting for the index.
    const reissued = await issue(editionId, collector.address, { quantity: 2 });
    expect(reissued.status).toBe(201);

    // The relay refuses the cancelled voucher; so does the contract when the collector sends it.
    const refused = await relay(relayBodyFromLink(issued.body.link));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: "VOUCHER_CANCELLED", details: { nonce: issued.body.voucher.nonce } } });
    const { voucher, signature } = issued.body;
    const args = [{ editionId: BigInt(voucher.editionId), to: voucher.to as Address, quantity: BigInt(voucher.quantity), nonce: BigInt(voucher.nonce), deadline: BigInt(voucher.deadline) }, signature as Hex] as const;
    const onChain = await client.simulateContract({ account: collector, address: issuer.collection, abi: vermilionCollectionAbi, functionName: "redeem", args }).catch((error: unknown) => error);
    expect(findContractRevert(onChain)?.errorName).toBe("VoucherNonceCancelled");
    expect(toChainError(onChain, { collection: issuer.collection }).code).toBe("VOUCHER_CANCELLED");
    expect((await getVoucher(voucher.nonce)).body).toMatchObject({ state: "cancelled", cancelTxHash: cancelled.body.txHash, serials: null });
  }, 60_000);

  test("a redeemed voucher cannot be cancelled (VOUCHER_ALREADY_REDEEMED); an unknown one is VOUCHER_NOT_FOUND; another issuer is FORBIDDEN", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 5);
    const collector = privateKeyToAccount(generatePrivateKey());
    await client.request({ method: "anvil_setBalance" as never, params: [collector.address, "0xde0b6b3a7640000"] as never });
    const issued = await issue(editionId, collector.address);
    // The recipient redeems it from its own wallet, paying gas.
    const wallet = createWalletClient({ account: collector, chain: { ...foundry, id: server.chainId }, transport: http(server.rpcUrl) });
    const { voucher, signature } = issued.body;
    const hash = await wallet.writeContract({
      address: issuer.collection,
      abi: vermilionCollectionAbi,
      functionName: "redeem",
      args: [{ editionId: BigInt(voucher.editionId), to: voucher.to as Address, quantity: BigInt(voucher.quantity), nonce: BigInt(voucher.nonce), deadline: BigInt(voucher.deadline) }, signature as Hex],
    });
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
    // Redeemed per the chain at once, before the index has seen it.
    expect((await getVoucher(voucher.nonce)).body.state).toBe("redeemed");

    const refused = await call("POST", `/api/collections/${issuer.collection}/vouchers/${voucher.nonce}/cancel`, { key: issuer.apiKey });
    expect(refused.status).toBe(409);
    expect(errorCode(refused)).toBe("VOUCHER_ALREADY_REDEEMED");

    const unknown = await call("POST", `/api/collections/${issuer.collection}/vouchers/12345/cancel`, { key: issuer.apiKey });
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown)).toBe("VOUCHER_NOT_FOUND");
    expect(errorCode(await getVoucher("12345"))).toBe("VOUCHER_NOT_FOUND");
    const malformed = await call("POST", `/api/collections/${issuer.collection}/vouchers/12ab/cancel`, { key: issuer.apiKey });
    expect(malformed.body).toMatchObject({ error: { code: "VALIDATION_FAILED", details: { field: "params.nonce" } } });

    const other = await createIssuerWithCollection(call, server.firstAdminApiKey!, "Shanghai Museum");
    const forbidden = await call("POST", `/api/collections/${issuer.collection}/vouchers/${voucher.nonce}/cancel`, { key: other.apiKey });
    expect(errorCode(forbidden)).toBe("FORBIDDEN");
  }, 60_000);
});

describe("the issuer's voucher list", () => {
  test("lists an edition's vouchers newest first with their states and links, filters by state and pages with a cursor", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const collector = collectorAddress("listed-collector");
    const redeemed = await issue(editionId, collector);
    const cancelled = await issue(editionId, collector);
    const open = await issue(editionId, collector, { quantity: 3 });
    expect((await relay(relayBodyFromLink(redeemed.body.link))).status).toBe(200);
    expect((await call("POST", `/api/collections/${issuer.collection}/vouchers/${cancelled.body.voucher.nonce}/cancel`, { key: issuer.apiKey })).status).toBe(200);
    await waitForVoucher(redeemed.body.voucher.nonce, (view) => view.tokenIds !== null);

    const route = `/api/collections/${issuer.collection}/editions/${editionId}/vouchers`;
    const all = await call<VoucherListView>("GET", route, { key: issuer.apiKey });
    expect(all.status).toBe(200);
    expect(all.body.vouchers.map((voucher) => [voucher.nonce, voucher.state])).toEqual([
      [open.body.voucher.nonce, "open"],
      [cancelled.body.voucher.nonce, "cancelled"],
      [redeemed.body.voucher.nonce, "redeemed"],
    ]);
    expect(all.body.vouchers[0]).toMatchObject({ link: open.body.link, quantity: "3", recipient: collector.toLowerCase(), tokenIds: [] });
    expect(all.body.vouchers[2]!.tokenIds).toEqual([(editionId * 1_000_000n + 1n).toString()]);
    expect(all.body.nextCursor).toBeNull();

    const onlyOpen = await call<VoucherListView>("GET", `${route}?state=open`, { key: issuer.apiKey });
    expect(onlyOpen.body.vouchers.map((voucher) => voucher.nonce)).toEqual([open.body.voucher.nonce]);

    const firstPage = await call<VoucherListView>("GET", `${route}?limit=2`, { key: issuer.apiKey });
    expect(firstPage.body.vouchers).toHaveLength(2);
    const secondPage = await call<VoucherListView>("GET", `${route}?limit=2&cursor=${firstPage.body.nextCursor!}`, { key: issuer.apiKey });
    expect([...firstPage.body.vouchers, ...secondPage.body.vouchers].map((voucher) => voucher.nonce)).toEqual(all.body.vouchers.map((voucher) => voucher.nonce));
    expect(secondPage.body.nextCursor).toBeNull();

    const badState = await call("GET", `${route}?state=lost`, { key: issuer.apiKey });
    expect(badState.body).toMatchObject({ error: { code: "VALIDATION_FAILED", details: { field: "query.state" } } });
    const badCursor = await call("GET", `${route}?cursor=bm9wZQ`, { key: issuer.apiKey });
    expect(badCursor.body).toMatchObject({ error: { code: "VALIDATION_FAILED", details: { field: "query.cursor" } } });
    expect((await call("GET", route)).status).toBe(401);
  }, 60_000);
});

describe("a cancellation sent from the issuer's own key", () => {
  test("is listed as cancelled once the index sees it, though the API never sent it", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 5);
    const issued = await issue(editionId, collectorAddress("wallet-cancel-collector"));
    const nonce = BigInt(issued.body.voucher.nonce);
    const operating = await issuingAccount(client as never, issuer.collection);
    await rpc(server.rpcUrl, "anvil_setBalance", [operating.address, toHex(10n ** 18n)]);
    const wallet = createWalletClient({ account: operating, chain: { ...foundry, id: server.chainId }, transport: http(server.rpcUrl) });
    const hash = await wallet.writeContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "cancelVouchers", args: [[nonce]] });
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");

    const route = `/api/collections/${issuer.collection}/editions/${editionId}/vouchers`;
    await expect
      .poll(async () => (await call<VoucherListView>("GET", route, { key: issuer.apiKey })).body.vouchers.map((voucher) => voucher.state), { timeout: 20_000 })
      .toEqual(["cancelled"]);
    expect((await getVoucher(nonce.toString())).body.state).toBe("cancelled");
  }, 60_000);
});

describe("the relay's rate limit", () => {
  test("past RATE_LIMIT_VOUCHER_RELAY a client gets 429 RATE_LIMITED naming voucher-relay, while reading vouchers goes on", async () => {
    const limited = await startTestPlatform("voucher-relay-limit", { RATE_LIMIT_VOUCHER_RELAY: "2/1m" });
    try {
      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await limited.call("POST", "/api/vouchers/redeem", { body: {} })).status);
      expect(statuses).toEqual([400, 400, 429]);
      const refused = await limited.call<{ error: { code: string; details: { limitName: string } } }>("POST", "/api/vouchers/redeem", { body: {} });
      expect(errorCode(refused)).toBe("RATE_LIMITED");
      expect(refused.body.error.details.limitName).toBe("voucher-relay");
      expect((await limited.call("GET", `/api/collections/0x${"42".repeat(20)}/vouchers/1`)).status).toBe(404);
    } finally {
      await limited.stop();
    }
  }, 60_000);
});
