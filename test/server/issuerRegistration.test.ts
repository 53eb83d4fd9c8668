import type { Address, Hex, PublicClient } from "viem";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient, ApiErrorBody, ApiResponse } from "../support/httpClient.js";

import { createPublicClient, createTestClient, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { signServed, type TypedDataJson } from "../support/servedTypedData.js";
import { startTestPlatform, type TestPlatform } from "../support/startTestPlatform.js";

const DEFAULT_ADMIN_ROLE = `0x${"00".repeat(32)}` as Hex;
const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));
const platformKey = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[0]!).address;

let platform: TestPlatform;
let server: RunningServer;
let call: ApiClient;
let adminKey: string;
let client: PublicClient;

interface CreatedIssuer {
  issuerId: string;
  name: string;
  apiKey: string;
  address: Address;
  custody: "custodial" | "self";
  operatingAddress: Address;
}

function errorOf(result: ApiResponse): ApiErrorBody["error"] {
  return (result.body as ApiErrorBody).error;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function registrationTypedData(name: string, address: Address, deadline: number): Promise<TypedDataJson> {
  const served = await call<TypedDataJson>("GET", `/api/issuers/registration-typed-data?name=${encodeURIComponent(name)}&address=${address}&deadline=${deadline}`);
  expect(served.status).toBe(200);
  return served.body;
}

async function hasRole(collection: Address, role: Hex, account: Address): Promise<boolean> {
  return client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "hasRole", args: [role, account] });
}

beforeAll(async () => {
  platform = await startTestPlatform("issuer-registration");
  ({ server, call } = platform);
  adminKey = server.firstAdminApiKey!;
  client = createPublicClient({ transport: http(server.rpcUrl) });
});

afterAll(async () => {
  await platform?.stop();
});

describe("custodial issuers", () => {
  test("two issuers' collections have two different admins, neither the platform's key, which holds no role; the operating key issues", async () => {
    const collections: Array<{ issuer: CreatedIssuer; collection: { address: Address; adminAddress: Address; operatingAddress: Address; issuer: unknown } }> = [];
    for (const name of ["Dunhuang Academy", "Palace Museum"]) {
      const issuer = await call<CreatedIssuer>("POST", "/api/issuers", { key: adminKey, body: { name } });
      expect(issuer.status).toBe(201);
      expect(issuer.body).toMatchObject({ name, custody: "custodial", address: expect.stringMatching(/^0x[0-9a-f]{40}$/), operatingAddress: expect.stringMatching(/^0x[0-9a-f]{40}$/) });
      const created = await call<{ address: Address; adminAddress: Address; operatingAddress: Address; issuer: unknown }>("POST", "/api/collections", {
        key: issuer.body.apiKey,
        body: { name: `${name} works`, symbol: "W" },
      });
      expect(created.status).toBe(201);
      collections.push({ issuer: issuer.body, collection: created.body });
    }
    const [first, second] = collections as [(typeof collections)[0], (typeof collections)[0]];
    expect(first.issuer.address).not.toBe(second.issuer.address);
    expect(first.issuer.operatingAddress).not.toBe(second.issuer.operatingAddress);
    for (const { issuer, collection } of collections) {
      expect(collection).toMatchObject({
        issuer: { name: issuer.name, address: issuer.address },
        adminAddress: issuer.address,
        operatingAddress: issuer.operatingAddress,
      });
      expect([issuer.address, issuer.operatingAddress]).not.toContain(platformKey.toLowerCase());
      expect(await hasRole(collection.address, DEFAULT_ADMIN_ROLE, issuer.address)).toBe(true);
      expect(await hasRole(collection.address, ISSUER_ROLE, issuer.operatingAddress)).toBe(true);
      expect(await hasRole(collection.address, ISSUER_ROLE, issuer.address)).toBe(false);
      expect(await hasRole(collection.address, DEFAULT_ADMIN_ROLE, issuer.operatingAddress)).toBe(false);
      expect(await hasRole(collection.address, ISSUER_ROLE, platformKey)).toBe(false);
      expect(await hasRole(collection.address, DEFAULT_ADMIN_ROLE, platformKey)).toBe(false);
      const read = await call("GET", `/api/collections/${collection.address}`);
      expect(read.body).toMatchObject({ issuer: { name: issuer.name, address: issuer.address }, adminAddress: issuer.address });
    }
    const me = await call("GET", "/api/issuers/me", { key: first.issuer.apiKey });
    expect(me.body).toEqual({
      kind: "issuer",
      issuerId: first.issuer.issuerId,
      name: "Dunhuang Academy",
      address: first.issuer.address,
      custody: "custodial",
      operatingAddress: first.issuer.operatingAddress,
    });
    const list = await call<{ issuers: Array<{ issuerId: string }> }>("GET", "/api/issuers", { key: adminKey });
    expect(list.body.issuers.find((entry) => entry.issuerId === second.issuer.issuerId)).toMatchObject({
      address: second.issuer.address,
      custody: "custodial",
      operatingAddress: second.issuer.operatingAddress,
    });
  });
});

describe("self-custody registration", () => {
  test("a wallet that signed the served IssuerRegistration becomes the issuer's address and the admin of its collections", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const deadline = nowSeconds() + 600;
    const typed = await registrationTypedData("Suzhou Museum", wallet.address, deadline);
    expect(typed).toMatchObject({
      domain: { name: "Vermilion", version: "1", chainId: String(server.chainId), verifyingContract: server.factoryAddress },
      primaryType: "IssuerRegistration",
      message: { name: "Suzhou Museum", account: wallet.address.toLowerCase(), deadline: String(deadline) },
    });
    const signature = await signServed(wallet, typed);
    const body = { name: "Suzhou Museum", address: wallet.address, deadline, signature };
    const created = await call<CreatedIssuer>("POST", "/api/issuers", { key: adminKey, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ custody: "self", address: wallet.address.toLowerCase() });
    expect(created.body.operatingAddress).not.toBe(created.body.address);

    const collection = await call<{ address: Address; adminAddress: string }>("POST", "/api/collections", {
      key: created.body.apiKey,
      body: { name: "Suzhou works", symbol: "SZ" },
    });
    expect(collection.status).toBe(201);
    expect(collection.body.adminAddress).toBe(wallet.address.toLowerCase());
    expect(await hasRole(collection.body.address, DEFAULT_ADMIN_ROLE, wallet.address)).toBe(true);
    expect(await hasRole(collection.body.address, ISSUER_ROLE, created.body.operatingAddress)).toBe(true);
    expect(await hasRole(collection.body.address, DEFAULT_ADMIN_ROLE, platformKey)).toBe(false);

    // The same signed statement again (a replay, within its deadline) cannot register the address twice.
    const replay = await call("POST", "/api/issuers", { key: adminKey, body });
    expect(replay.status).toBe(409);
    expect(errorOf(replay)).toMatchObject({ code: "ISSUER_ADDRESS_TAKEN", details: { address: wallet.address.toLowerCase() } });
  });

  test("two registrations of one wallet at once register it once", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const deadline = nowSeconds() + 600;
    const signature = await signServed(wallet, await registrationTypedData("Twice", wallet.address, deadline));
    const body = { name: "Twice", address: wallet.address, deadline, signature };
    const answers = await Promise.all([1, 2, 3].map(() => call("POST", "/api/issuers", { key: adminKey, body })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
    expect(answers.filter((answer) => answer.status === 409).map((answer) => errorOf(answer).code)).toEqual(["ISSUER_ADDRESS_TAKEN", "ISSUER_ADDRESS_TAKEN"]);
  });

  test("an address cannot be registered without its own signature of exactly that statement", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const stranger = privateKeyToAccount(generatePrivateKey());
    const deadline = nowSeconds() + 600;
    const typed = await registrationTypedData("Nanjing Museum", wallet.address, deadline);

    const wrongSigner = await call("POST", "/api/issuers", {
      key: adminKey,
      body: { name: "Nanjing Museum", address: wallet.address, deadline, signature: await signServed(stranger, typed) },
    });
    expect(wrongSigner.status).toBe(400);
    expect(errorOf(wrongSigner).code).toBe("ISSUER_SIGNATURE_INVALID");

    const signature = await signServed(wallet, typed);
    const alteredName = await call("POST", "/api/issuers", { key: adminKey, body: { name: "Nanjing Museum II", address: wallet.address, deadline, signature } });
    expect(alteredName.status).toBe(400);
    expect(errorOf(alteredName).code).toBe("ISSUER_SIGNATURE_INVALID");
    const alteredDeadline = await call("POST", "/api/issuers", { key: adminKey, body: { name: "Nanjing Museum", address: wallet.address, deadline: deadline + 1, signature } });
    expect(errorOf(alteredDeadline).code).toBe("ISSUER_SIGNATURE_INVALID");
    const otherAddress = await call("POST", "/api/issuers", { key: adminKey, body: { name: "Nanjing Museum", address: stranger.address, deadline, signature } });
    expect(errorOf(otherAddress).code).toBe("ISSUER_SIGNATURE_INVALID");
    const garbage = await call("POST", "/api/issuers", { key: adminKey, body: { name: "Nanjing Museum", address: wallet.address, deadline, signature: "0x1234" } });
    expect(garbage.status).toBe(400);
    expect(errorOf(garbage).code).toBe("ISSUER_SIGNATURE_INVALID");

    // Signed properly but expired: refused even though the signature is the wallet's.
    const past = nowSeconds() - 5;
    const expiredTyped = { ...typed, message: { ...typed.message, deadline: String(past) } };
    const expired = await call("POST", "/api/issuers", {
      key: adminKey,
      body: { name: "Nanjing Museum", address: wallet.address, deadline: past, signature: await signServed(wallet, expiredTyped) },
    });
    expect(expired.status).toBe(400);
    expect(errorOf(expired).code).toBe("ISSUER_SIGNATURE_EXPIRED");
    const expiredServed = await call("GET", `/api/issuers/registration-typed-data?name=A&address=${wallet.address}&deadline=${past}`);
    expect(errorOf(expiredServed).code).toBe("ISSUER_SIGNATURE_EXPIRED");

    // Good for more than a day: a long-lived signature is refused before it is checked.
    const far = nowSeconds() + 2 * 24 * 3600;
    const farTyped = { ...typed, message: { ...typed.message, deadline: String(far) } };
    const tooFar = await call("POST", "/api/issuers", {
      key: adminKey,
      body: { name: "Nanjing Museum", address: wallet.address, deadline: far, signature: await signServed(wallet, farTyped) },
    });
    expect(errorOf(tooFar)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.deadline" } });

    // Nothing of the above registered the wallet: its real statement still does.
    const created = await call("POST", "/api/issuers", { key: adminKey, body: { name: "Nanjing Museum", address: wallet.address, deadline, signature } });
    expect(created.status).toBe(201);
  });

  test("a smart wallet registers through ERC-1271: the chain asks the wallet contract, whose answer decides", async () => {
    // Two minimal wallet contracts: one whose isValidSignature answers the ERC-1271 magic value for any
    // signature, one that answers zero (PUSH4 v, PUSH1 224, SHL, MSTORE at 0, RETURN 32 bytes).
    const testClient = createTestClient({ mode: "anvil", transport: http(server.rpcUrl) });
    const accepting = privateKeyToAccount(generatePrivateKey()).address;
    const refusing = privateKeyToAccount(generatePrivateKey()).address;
    await testClient.setCode({ address: accepting, bytecode: "0x631626ba7e60e01b60005260206000f3" });
    await testClient.setCode({ address: refusing, bytecode: "0x630000000060e01b60005260206000f3" });
    const deadline = nowSeconds() + 600;
    const signature = `0x${"11".repeat(65)}` as Hex;
    const refused = await call("POST", "/api/issuers", { key: adminKey, body: { name: "Multisig museum", address: refusing, deadline, signature } });
    expect(refused.status).toBe(400);
    expect(errorOf(refused).code).toBe("ISSUER_SIGNATURE_INVALID");
    const created = await call<CreatedIssuer>("POST", "/api/issuers", { key: adminKey, body: { name: "Multisig museum", address: accepting, deadline, signature } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ custody: "self", address: accepting.toLowerCase() });
  });

  test("the platform's own key and an issuer's keys cannot be registered, even with their signature", async () => {
    const platformAccount = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[0]!);
    const deadline = nowSeconds() + 600;
    const typed = await registrationTypedData("Platform", platformAccount.address, deadline);
    const platformAsIssuer = await call("POST", "/api/issuers", {
      key: adminKey,
      body: { name: "Platform", address: platformAccount.address, deadline, signature: await signServed(platformAccount, typed) },
    });
    expect(platformAsIssuer.status).toBe(409);
    expect(errorOf(platformAsIssuer).code).toBe("ISSUER_ADDRESS_TAKEN");
  });

  test("bad registration input names the field", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const missingSignature = await call("POST", "/api/issuers", { key: adminKey, body: { name: "A", address: wallet.address, deadline: nowSeconds() + 60 } });
    expect(errorOf(missingSignature)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.signature" } });
    const badAddress = await call("POST", "/api/issuers", { key: adminKey, body: { name: "A", address: "0x12", deadline: nowSeconds() + 60, signature: "0x00" } });
    expect(errorOf(badAddress)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.address" } });
    const badDeadline = await call("POST", "/api/issuers", { key: adminKey, body: { name: "A", address: wallet.address, deadline: "soon", signature: "0x00" } });
    expect(errorOf(badDeadline)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.deadline" } });
    const badQuery = await call("GET", `/api/issuers/registration-typed-data?name=A&address=${wallet.address}`);
    expect(badQuery.status).toBe(400);
    expect(errorOf(badQuery)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "query.deadline" } });
  });
});
