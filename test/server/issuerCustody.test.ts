import type { Address, Hex, LocalAccount, PublicClient } from "viem";
import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";
import type { CustodyStep } from "../../server/issuers/custody/finishCustodyTransfer.js";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient, ApiErrorBody, ApiResponse } from "../support/httpClient.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, createWalletClient, getAddress, http, keccak256, parseEther, toHex } from "viem";
import { foundry } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { startAnvil } from "../../server/chain/startAnvil.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../support/httpClient.js";
import { signServed, type TypedDataJson } from "../support/servedTypedData.js";
import { createEditionOnChain, waitForJob } from "../support/platformFixture.js";
import { startTestPlatform, type TestPlatform } from "../support/startTestPlatform.js";

const DEFAULT_ADMIN_ROLE = `0x${"00".repeat(32)}` as Hex;
const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));

interface Issuer {
  issuerId: string;
  apiKey: string;
  address: Address;
  operatingAddress: Address;
  collections: Address[];
}

function errorOf(result: ApiResponse): ApiErrorBody["error"] {
  return (result.body as ApiErrorBody).error;
}

/** A custodial issuer with `count` collections. */
async function custodialIssuer(call: ApiClient, adminKey: string, name: string, count: number): Promise<Issuer> {
  const created = await call<Issuer>("POST", "/api/issuers", { key: adminKey, body: { name } });
  expect(created.status).toBe(201);
  const collections: Address[] = [];
  for (let index = 0; index < count; index += 1) {
    const collection = await call<{ address: Address }>("POST", "/api/collections", { key: created.body.apiKey, body: { name: `${name} ${index}`, symbol: "C" } });
    expect(collection.status).toBe(201);
    collections.push(collection.body.address);
  }
  return { ...created.body, collections };
}

/** The body of POST /api/issuers/me/custody, signed by `wallet` over the typed data the server serves. */
async function custodyStatement(call: ApiClient, issuer: Issuer, wallet: LocalAccount, keepOperatingKey: boolean) {
  const deadline = Math.floor(Date.now() / 1000) + 600;
  const served = await call<TypedDataJson>("GET", `/api/issuers/me/custody-typed-data?account=${wallet.address}&keepOperatingKey=${keepOperatingKey}&deadline=${deadline}`, {
    key: issuer.apiKey,
  });
  expect(served.status).toBe(200);
  expect(served.body).toMatchObject({
    primaryType: "IssuerCustodyTransfer",
    message: { issuerId: issuer.issuerId, account: wallet.address.toLowerCase(), keepOperatingKey, deadline: String(deadline) },
  });
  return { account: wallet.address, keepOperatingKey, deadline, signature: await signServed(wallet, served.body) };
}

async function rolesOf(client: PublicClient, collection: Address, account: Address) {
  const has = (role: Hex) => client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "hasRole", args: [role, account] });
  return { admin: await has(DEFAULT_ADMIN_ROLE), issuing: await has(ISSUER_ROLE) };
}

/** What custody 'self' must look like on chain and in the API for `issuer` and its wallet. */
async function expectCustodyTaken(call: ApiClient, client: PublicClient, issuer: Issuer, wallet: Address, keepOperatingKey: boolean): Promise<void> {
  for (const collection of issuer.collections) {
    expect(await rolesOf(client, collection, wallet)).toEqual({ admin: true, issuing: false });
    expect(await rolesOf(client, collection, issuer.address)).toEqual({ admin: false, issuing: false });
    expect(await rolesOf(client, collection, issuer.operatingAddress)).toEqual({ admin: false, issuing: keepOperatingKey });
    expect((await call("GET", `/api/collections/${collection}`)).body).toMatchObject({ adminAddress: wallet.toLowerCase(), issuer: { address: wallet.toLowerCase() } });
  }
  expect((await call("GET", "/api/issuers/me", { key: issuer.apiKey })).body).toMatchObject({
    custody: "self",
    address: wallet.toLowerCase(),
    operatingAddress: issuer.operatingAddress,
  });
}

describe("take custody", () => {
  let platform: TestPlatform;
  let server: RunningServer;
  let call: ApiClient;
  let adminKey: string;
  let client: PublicClient;
  // Interrupts the next transfer once, right after its first step.
  let interruptNext = false;
  // Runs once, right after the next transfer's first step.
  let duringNext: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    platform = await startTestPlatform(
      "issuer-custody",
      {},
      {
        onCustodyStep: async () => {
          const during = duringNext;
          duringNext = undefined;
          await during?.();
          if (!interruptNext) return;
          interruptNext = false;
          throw new Error("interrupted between custody steps");
        },
      },
    );
    ({ server, call } = platform);
    adminKey = server.firstAdminApiKey!;
    client = createPublicClient({ transport: http(server.rpcUrl) });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  test("a custodial issuer keeping its operating key: its wallet becomes admin of every collection, the custodial admin key holds nothing", async () => {
    const issuer = await custodialIssuer(call, adminKey, "Dunhuang Academy", 2);
    const wallet = privateKeyToAccount(generatePrivateKey());
    const body = await custodyStatement(call, issuer, wallet, true);
    const taken = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body });
    expect(taken.status).toBe(200);
    expect(taken.body).toEqual({
      issuerId: issuer.issuerId,
      address: wallet.address.toLowerCase(),
      custody: "self",
      operatingAddress: issuer.operatingAddress,
      collections: issuer.collections.map((address) => ({ address, state: "transferred" })),
    });
    await expectCustodyTaken(call, client, issuer, wallet.address, true);

    // The same statement again answers the same; a new one finds custody already taken.
    expect(await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body })).toMatchObject({ status: 200, body: taken.body });
    // Signed from the statement's definition, not from what the server serves (it no longer serves one).
    const deadline = body.deadline + 1;
    const signature = await wallet.signTypedData({
      domain: { name: "Vermilion", version: "1", chainId: server.chainId, verifyingContract: server.factoryAddress as Address },
      types: {
        IssuerCustodyTransfer: [
          { name: "issuerId", type: "string" },
          { name: "account", type: "address" },
          { name: "keepOperatingKey", type: "bool" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "IssuerCustodyTransfer",
      message: { issuerId: issuer.issuerId, account: wallet.address, keepOperatingKey: false, deadline: BigInt(deadline) },
    });
    const again = await call("POST", "/api/issuers/me/custody", {
      key: issuer.apiKey,
      body: { account: wallet.address, keepOperatingKey: false, deadline, signature },
    });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe("CUSTODY_ALREADY_SELF");
    const servedAgain = await call("GET", `/api/issuers/me/custody-typed-data?account=${wallet.address}&keepOperatingKey=true&deadline=${body.deadline}`, {
      key: issuer.apiKey,
    });
    expect(errorOf(servedAgain).code).toBe("CUSTODY_ALREADY_SELF");

    // A new collection names the wallet as its admin, the operating key as its issuer.
    const later = await call<{ address: Address; adminAddress: string }>("POST", "/api/collections", { key: issuer.apiKey, body: { name: "Later", symbol: "L" } });
    expect(later.status).toBe(201);
    expect(later.body.adminAddress).toBe(wallet.address.toLowerCase());
    expect(await rolesOf(client, later.body.address, wallet.address)).toEqual({ admin: true, issuing: false });
    expect(await rolesOf(client, later.body.address, issuer.operatingAddress)).toEqual({ admin: false, issuing: true });
  });

  test("without keepOperatingKey the operating key loses the issuing role too", async () => {
    const issuer = await custodialIssuer(call, adminKey, "Palace Museum", 1);
    const wallet = privateKeyToAccount(generatePrivateKey());
    const taken = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body: await custodyStatement(call, issuer, wallet, false) });
    expect(taken.status).toBe(200);
    await expectCustodyTaken(call, client, issuer, wallet.address, false);
  });

  /** Mints one token of `editionId` to a fresh address through the API and waits for the job. */
  async function mintOne(issuer: Issuer, collection: Address, editionId: bigint, key: string) {
    const to = privateKeyToAccount(generatePrivateKey()).address.toLowerCase() as Address;
    const accepted = await call<{ jobId: string }>("POST", `/api/collections/${collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": key },
      body: { to, quantity: 1 },
    });
    return { accepted, to };
  }

  test("after taking custody the issuer keeps minting: through the kept operating key, or, when it let it go, once its wallet grants it again", async () => {
    const keeping = await custodialIssuer(call, adminKey, "Mogao Grottoes", 1);
    const letting = await custodialIssuer(call, adminKey, "Yungang Grottoes", 1);
    const [keptCollection, letCollection] = [keeping.collections[0]!, letting.collections[0]!];
    const keptEdition = await createEditionOnChain(server.rpcUrl, keptCollection, 10);
    const letEdition = await createEditionOnChain(server.rpcUrl, letCollection, 10);
    const keepingWallet = privateKeyToAccount(generatePrivateKey());
    const lettingWallet = privateKeyToAccount(generatePrivateKey());
    for (const [issuer, wallet, keep] of [[keeping, keepingWallet, true], [letting, lettingWallet, false]] as const) {
      const taken = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body: await custodyStatement(call, issuer, wallet, keep) });
      expect(taken.status).toBe(200);
    }

    // 1. Kept: the statement was the grant; the next mint goes out from the operating key.
    const kept = await mintOne(keeping, keptCollection, keptEdition, "after-custody-kept");
    expect(kept.accepted.status).toBe(202);
    const keptJob = await waitForJob<{ state: string; sender: string; tokenIds: string[] }>(call, keeping.apiKey, kept.accepted.body.jobId);
    expect(keptJob).toMatchObject({ state: "completed", sender: keeping.operatingAddress });
    expect(await client.readContract({ address: keptCollection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [BigInt(keptJob.tokenIds[0]!)] })).toBe(
      getAddress(kept.to),
    );

    // 2. Let go: refused with the documented code until the wallet (paying its own gas) grants the role back.
    const refused = await mintOne(letting, letCollection, letEdition, "after-custody-refused");
    expect(refused.accepted.status).toBe(409);
    expect(errorOf(refused.accepted).code).toBe("ISSUER_KEY_REVOKED");
    await client.request({ method: "anvil_setBalance" as never, params: [lettingWallet.address, toHex(parseEther("1"))] as never });
    const walletClient = createWalletClient({ account: lettingWallet, chain: { ...foundry, id: server.chainId }, transport: http(server.rpcUrl) });
    const granted = await walletClient.writeContract({ address: letCollection, abi: vermilionCollectionAbi, functionName: "grantRole", args: [ISSUER_ROLE, letting.operatingAddress] });
    expect((await client.waitForTransactionReceipt({ hash: granted })).status).toBe("success");
    const resumed = await mintOne(letting, letCollection, letEdition, "after-custody-granted");
    expect(resumed.accepted.status).toBe(202);
    const resumedJob = await waitForJob<{ state: string; sender: string }>(call, letting.apiKey, resumed.accepted.body.jobId);
    expect(resumedJob).toMatchObject({ state: "completed", sender: letting.operatingAddress });
    expect(await rolesOf(client, letCollection, lettingWallet.address)).toEqual({ admin: true, issuing: false });
  });

  test("a transfer interrupted between steps is finished by the retry of the same statement", async () => {
    const issuer = await custodialIssuer(call, adminKey, "Suzhou Museum", 2);
    const wallet = privateKeyToAccount(generatePrivateKey());
    const body = await custodyStatement(call, issuer, wallet, false);
    interruptNext = true;
    const interrupted = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body });
    expect(interrupted.status).toBe(500);
    // Half done: the wallet is admin of the first collection, the custodial key still too; nothing else moved.
    const [first, second] = issuer.collections as [Address, Address];
    expect(await rolesOf(client, first, wallet.address)).toEqual({ admin: true, issuing: false });
    expect(await rolesOf(client, first, issuer.address)).toEqual({ admin: true, issuing: false });
    expect(await rolesOf(client, second, wallet.address)).toEqual({ admin: false, issuing: false });
    expect((await call("GET", "/api/issuers/me", { key: issuer.apiKey })).body).toMatchObject({ custody: "custodial", address: issuer.address });

    const retried = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body });
    expect(retried.status).toBe(200);
    await expectCustodyTaken(call, client, issuer, wallet.address, false);
  });

  test("a collection created while a transfer is under way names the wallet as its admin", async () => {
    const issuer = await custodialIssuer(call, adminKey, "Shaanxi History Museum", 1);
    const wallet = privateKeyToAccount(generatePrivateKey());
    let midway: { status: number; body: { address: Address; adminAddress: string } } | undefined;
    duringNext = async () => {
      midway = await call<{ address: Address; adminAddress: string }>("POST", "/api/collections", { key: issuer.apiKey, body: { name: "Midway", symbol: "M" } });
    };
    const taken = await call<{ collections: Array<{ address: Address }> }>("POST", "/api/issuers/me/custody", {
      key: issuer.apiKey,
      body: await custodyStatement(call, issuer, wallet, true),
    });
    expect(taken.status).toBe(200);
    expect(midway?.status).toBe(201);
    expect(midway!.body.adminAddress).toBe(wallet.address.toLowerCase());
    expect(taken.body.collections.map((collection) => collection.address)).toEqual([...issuer.collections, midway!.body.address]);
    await expectCustodyTaken(call, client, { ...issuer, collections: [...issuer.collections, midway!.body.address] }, wallet.address, true);
  });

  test("refusals: another's signature, someone else's address, an admin key, bad input", async () => {
    const issuer = await custodialIssuer(call, adminKey, "Nanjing Museum", 0);
    const other = await custodialIssuer(call, adminKey, "Hubei Museum", 0);
    const wallet = privateKeyToAccount(generatePrivateKey());
    const body = await custodyStatement(call, issuer, wallet, true);
    const stranger = privateKeyToAccount(generatePrivateKey());
    const forged = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body: { ...body, signature: (await custodyStatement(call, issuer, stranger, true)).signature } });
    expect(forged.status).toBe(400);
    expect(errorOf(forged).code).toBe("ISSUER_SIGNATURE_INVALID");
    // A statement signed for one issuer is worthless to another (the issuer id is in it).
    const otherIssuers = await call("POST", "/api/issuers/me/custody", { key: other.apiKey, body });
    expect(errorOf(otherIssuers).code).toBe("ISSUER_SIGNATURE_INVALID");
    const flipped = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body: { ...body, keepOperatingKey: false } });
    expect(errorOf(flipped).code).toBe("ISSUER_SIGNATURE_INVALID");

    const asAdmin = await call("POST", "/api/issuers/me/custody", { key: adminKey, body });
    expect(asAdmin.status).toBe(403);
    expect(errorOf(asAdmin).code).toBe("FORBIDDEN");
    const badFlag = await call("GET", `/api/issuers/me/custody-typed-data?account=${wallet.address}&keepOperatingKey=yes&deadline=1`, { key: issuer.apiKey });
    expect(errorOf(badFlag)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "query.keepOperatingKey" } });
    const missing = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body: { account: wallet.address, deadline: body.deadline, signature: body.signature } });
    expect(errorOf(missing)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.keepOperatingKey" } });
    const expired = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body: { ...body, deadline: Math.floor(Date.now() / 1000) - 1 } });
    expect(errorOf(expired).code).toBe("ISSUER_SIGNATURE_EXPIRED");
  });

  test("a self-custody issuer's wallet is taken: another issuer cannot take custody to it", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const deadline = Math.floor(Date.now() / 1000) + 600;
    const typed = await call<TypedDataJson>("GET", `/api/issuers/registration-typed-data?name=Self&address=${wallet.address}&deadline=${deadline}`);
    const registered = await call("POST", "/api/issuers", {
      key: adminKey,
      body: { name: "Self", address: wallet.address, deadline, signature: await signServed(wallet, typed.body) },
    });
    expect(registered.status).toBe(201);
    const issuer = await custodialIssuer(call, adminKey, "Anhui Museum", 0);
    const taken = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body: await custodyStatement(call, issuer, wallet, true) });
    expect(taken.status).toBe(409);
    expect(errorOf(taken).code).toBe("ISSUER_ADDRESS_TAKEN");
  });
});

describe("take custody across a restart", () => {
  let anvil: StartAnvilReturnType;
  let dataDir: string;

  beforeAll(async () => {
    // The chain outlives the server, as a real chain does.
    anvil = await startAnvil();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-custody-restart-"));
  });

  afterAll(async () => {
    await anvil?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("a transfer interrupted between steps is finished when the server starts again", async () => {
    const adminKey = "test-admin-key-0123456789abcdef";
    const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", RPC_URL: anvil.rpcUrl, ADMIN_API_KEY: adminKey });
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const wallet = privateKeyToAccount(generatePrivateKey());
    const steps: CustodyStep[] = [];

    const first = await startServer(config, {
      onCustodyStep: ({ step }) => {
        steps.push(step);
        // The process "dies" after the first step of the second collection.
        if (steps.length === 4) throw new Error("interrupted between custody steps");
      },
    });
    let issuer: Issuer;
    try {
      const call = createApiClient(first.url);
      issuer = await custodialIssuer(call, adminKey, "Mogao Grottoes", 2);
      const interrupted = await call("POST", "/api/issuers/me/custody", { key: issuer.apiKey, body: await custodyStatement(call, issuer, wallet, false) });
      expect(interrupted.status).toBe(500);
      expect(steps).toEqual(["grant-admin", "revoke-operating", "renounce-custodial-admin", "grant-admin"]);
    } finally {
      await first.stop();
    }
    const [done, half] = issuer.collections as [Address, Address];
    expect(await rolesOf(client, done, issuer.address)).toEqual({ admin: false, issuing: false });
    expect(await rolesOf(client, half, wallet.address)).toEqual({ admin: true, issuing: false });
    expect(await rolesOf(client, half, issuer.address)).toEqual({ admin: true, issuing: false });
    expect(await rolesOf(client, half, issuer.operatingAddress)).toEqual({ admin: false, issuing: true });

    const second = await startServer(config);
    try {
      const call = createApiClient(second.url);
      await expectCustodyTaken(call, client, issuer, wallet.address, false);
    } finally {
      await second.stop();
    }
  });
});
