import type { Address, Hex } from "viem";
import type { Database } from "../../server/db/Database.js";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient } from "../support/httpClient.js";
import type { CreateIssuerCollectionOnChainReturnType, PlatformWithSharedDatabase } from "../support/createIssuerCollectionOnChain.js";

import { createPublicClient, createWalletClient, http, parseEther, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { ISSUER_ROLE } from "../../server/chain/decodeContractError.js";
import { mintVoucherTypedData } from "../../server/chain/mintVoucherTypedData.js";
import { toStoredAddress } from "../../server/chain/toStoredAddress.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { createIssuerCollectionOnChain, startPlatformWithSharedDatabase } from "../support/createIssuerCollectionOnChain.js";
import { errorCode } from "../support/httpClient.js";
import { samplePng } from "../storage/mediaSamples.js";

let shared: PlatformWithSharedDatabase;
let server: RunningServer;
let call: ApiClient;
/** A second connection to the server's database: the test makes collections the way the factory will. */
let db: Database;
let client: ReturnType<typeof createPublicClient>;
let issuer: { issuerId: string; apiKey: string; address: Address };
let onChain: CreateIssuerCollectionOnChainReturnType;

beforeAll(async () => {
  // Editions above 100 documents become jobs: the runner's path is exercised too.
  shared = await startPlatformWithSharedDatabase("issuer-writes", { EDITION_JOB_THRESHOLD_DOCUMENTS: "100" });
  ({ db } = shared);
  ({ server, call } = shared.platform);
  client = createPublicClient({ chain: { ...foundry, id: server.chainId }, transport: http(server.rpcUrl), pollingInterval: 50 });

  const created = await call<{ issuerId: string; apiKey: string }>("POST", "/api/issuers", { key: server.firstAdminApiKey!, body: { name: "Mogao Grottoes Institute" } });
  expect(created.status).toBe(201);
  onChain = await createIssuerCollectionOnChain(
    { db, rpcUrl: server.rpcUrl, chainId: server.chainId, factoryAddress: server.factoryAddress as Address },
    { issuerId: created.body.issuerId, name: "Mogao" },
  );
  const { rows } = await db.query<{ address: Address }>("SELECT address FROM issuers WHERE issuer_id = $1", [created.body.issuerId]);
  issuer = { ...created.body, address: rows[0]!.address };
});

afterAll(async () => {
  await shared?.stop();
});

function editionForm(name: string, maxSupply = 10): FormData {
  const form = new FormData();
  const fields = { name, description: "Cave 45", maxSupply: String(maxSupply), royaltyBps: "500", royaltyReceiver: `0x${"12".repeat(20)}`, license: "CC BY 4.0" };
  for (const [field, value] of Object.entries(fields)) form.append(field, value);
  form.append("media", new Blob([new Uint8Array(samplePng(16, 16))]), "media.png");
  return form;
}

async function postEdition(collection: Address, name: string, maxSupply?: number) {
  const response = await fetch(`${server.url}/api/collections/${collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${issuer.apiKey}` },
    body: editionForm(name, maxSupply),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string; details: Record<string, unknown> } } };
}

async function senderOf(txHash: unknown): Promise<Address> {
  return toStoredAddress((await client.getTransaction({ hash: txHash as Hex })).from);
}

async function countRows(table: "editions" | "issued_vouchers", collection: Address): Promise<number> {
  const { rows } = await db.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${table} WHERE collection_address = $1`, [collection]);
  return Number(rows[0]!.count);
}

describe("an issuer's collection is written to by its own keys, funded by the platform", () => {
  test("an edition is created, frozen and closed by the operating key, which the funding key tops up from zero", async () => {
    const { collection, operating } = onChain;
    expect(await client.getBalance({ address: operating })).toBe(0n);

    const created = await postEdition(collection, "Bodhisattva");
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await senderOf(created.body.txHash)).toBe(operating);
    const { rows: topUps } = await db.query<{ recipient: string; state: string; amount_wei: string }>(
      "SELECT recipient, state, amount_wei::text FROM gas_top_ups WHERE issuer_id = $1",
      [issuer.issuerId],
    );
    expect(topUps).toEqual([{ recipient: operating, state: "mined", amount_wei: parseEther("0.05").toString() }]);
    // The documents name the issuer's own address, not the key that sent the edition.
    const document = (await (await fetch(`${server.url}/ipfs/${String(created.body.metadataCid)}/1.json`)).json()) as Record<string, unknown>;
    expect(JSON.stringify(document)).toContain(`"issuer":"${issuer.address}"`);

    const editionId = String(created.body.editionId);
    const frozen = await call<{ txHash: Hex }>("POST", `/api/collections/${collection}/editions/${editionId}/freeze`, { key: issuer.apiKey });
    expect(frozen.status).toBe(200);
    expect(await senderOf(frozen.body.txHash)).toBe(operating);
    const closed = await call<{ txHash: Hex }>("POST", `/api/collections/${collection}/editions/${editionId}/close`, { key: issuer.apiKey });
    expect(closed.status).toBe(200);
    expect(await senderOf(closed.body.txHash)).toBe(operating);
    const edition = await client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "edition", args: [BigInt(editionId)] });
    expect(edition).toMatchObject({ metadataFrozen: true, isSealed: true });
  });

  test("a large edition's job is sent by the operating key too", async () => {
    const { collection, operating } = onChain;
    const accepted = await postEdition(collection, "Thousand Buddhas", 150);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const jobId = String(accepted.body.jobId);
    let job = await call<{ state: string; edition: { txHash: Hex; editionId: string } | null }>("GET", `/api/edition-jobs/${jobId}`, { key: issuer.apiKey });
    for (let attempt = 0; attempt < 300 && job.body.state !== "completed" && job.body.state !== "failed"; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await call("GET", `/api/edition-jobs/${jobId}`, { key: issuer.apiKey });
    }
    expect(job.body.state, JSON.stringify(job.body)).toBe("completed");
    expect(await senderOf(job.body.edition!.txHash)).toBe(operating);
  });

  test("pause and unpause are sent by the issuer's custodial admin key", async () => {
    const { collection, admin } = onChain;
    const paused = await call<{ txHash: Hex }>("POST", `/api/collections/${collection}/pause`, { key: issuer.apiKey });
    expect(paused.status).toBe(200);
    expect(await senderOf(paused.body.txHash)).toBe(admin);
    expect(await client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "paused" })).toBe(true);
    const unpaused = await call<{ txHash: Hex }>("POST", `/api/collections/${collection}/unpause`, { key: issuer.apiKey });
    expect(await senderOf(unpaused.body.txHash)).toBe(admin);
    const { rows } = await db.query<{ recipient: string }>("SELECT recipient FROM gas_top_ups WHERE issuer_id = $1 ORDER BY created_at", [issuer.issuerId]);
    expect(rows.map((row) => row.recipient)).toContain(admin);
  });

  test("a voucher is signed by the operating key and redeemable on chain", async () => {
    const { collection, operating } = onChain;
    const created = await postEdition(collection, "Vouchered");
    expect(created.status).toBe(201);
    const collector = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[3]!);
    const issued = await call<{ voucher: { editionId: string; to: Address; quantity: string; nonce: string; deadline: string }; signature: Hex }>(
      "POST",
      `/api/collections/${collection}/editions/${String(created.body.editionId)}/vouchers`,
      { key: issuer.apiKey, body: { to: collector.address, quantity: 1 } },
    );
    expect(issued.status).toBe(201);
    const voucher = {
      editionId: BigInt(issued.body.voucher.editionId),
      to: issued.body.voucher.to,
      quantity: BigInt(issued.body.voucher.quantity),
      nonce: BigInt(issued.body.voucher.nonce),
      deadline: BigInt(issued.body.voucher.deadline),
    };
    const signer = await recoverTypedDataAddress({ ...mintVoucherTypedData(server.chainId, collection, voucher), signature: issued.body.signature });
    expect(toStoredAddress(signer)).toBe(operating);
    const wallet = createWalletClient({ account: collector, chain: { ...foundry, id: server.chainId }, transport: http(server.rpcUrl) });
    const hash = await wallet.writeContract({ address: collection, abi: vermilionCollectionAbi, functionName: "redeem", args: [voucher, issued.body.signature] });
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
  });

  test("pause on a collection whose admin is the issuer's own wallet is refused with ADMIN_IN_ISSUER_WALLET", async () => {
    const wallet = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[4]!);
    const other = await call<{ issuerId: string; apiKey: string }>("POST", "/api/issuers", { key: server.firstAdminApiKey!, body: { name: "Self-custody Museum" } });
    const selfCustody = await createIssuerCollectionOnChain(
      { db, rpcUrl: server.rpcUrl, chainId: server.chainId, factoryAddress: server.factoryAddress as Address },
      { issuerId: other.body.issuerId, admin: wallet.address },
    );
    await db.query("UPDATE issuers SET custody = 'self', address = $2 WHERE issuer_id = $1", [other.body.issuerId, toStoredAddress(wallet.address)]);
    const refused = await call("POST", `/api/collections/${selfCustody.collection}/pause`, { key: other.body.apiKey });
    expect(refused.status).toBe(409);
    expect(errorCode(refused)).toBe("ADMIN_IN_ISSUER_WALLET");
    expect(await client.readContract({ address: selfCustody.collection, abi: vermilionCollectionAbi, functionName: "paused" })).toBe(false);
  });

  test("after the admin revokes the operating key, an edition or a voucher fails with ISSUER_KEY_REVOKED and leaves nothing behind", async () => {
    const { collection, operating, accounts } = onChain;
    const standing = await postEdition(collection, "Before the revocation");
    expect(standing.status).toBe(201);
    // The issuer's admin key (here the custodial one, as the issuer would through the console) takes the role back.
    await client.request({ method: "anvil_setBalance" as never, params: [accounts.custodialAdmin.address, "0xde0b6b3a7640000"] as never });
    const adminWallet = createWalletClient({ account: accounts.custodialAdmin, chain: { ...foundry, id: server.chainId }, transport: http(server.rpcUrl) });
    const revoke = await adminWallet.writeContract({ address: collection, abi: vermilionCollectionAbi, functionName: "revokeRole", args: [ISSUER_ROLE, operating] });
    expect((await client.waitForTransactionReceipt({ hash: revoke })).status).toBe("success");
    const editionsBefore = await countRows("editions", collection);
    const vouchersBefore = await countRows("issued_vouchers", collection);
    const editionCountBefore = await client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "editionCount" });

    const refusedEdition = await postEdition(collection, "After the revocation");
    expect(refusedEdition.status).toBe(409);
    expect(refusedEdition.body.error).toMatchObject({ code: "ISSUER_KEY_REVOKED", details: { operatingKey: operating, collection } });
    const refusedVoucher = await call("POST", `/api/collections/${collection}/editions/${String(standing.body.editionId)}/vouchers`, {
      key: issuer.apiKey,
      body: { to: `0x${"34".repeat(20)}`, quantity: 1 },
    });
    expect(refusedVoucher.status).toBe(409);
    expect(errorCode(refusedVoucher)).toBe("ISSUER_KEY_REVOKED");

    expect(await countRows("editions", collection)).toBe(editionsBefore);
    expect(await countRows("issued_vouchers", collection)).toBe(vouchersBefore);
    expect(await client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "editionCount" })).toBe(editionCountBefore);
  });
});
