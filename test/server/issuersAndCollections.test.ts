import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient, ApiErrorBody, ApiResponse } from "../support/httpClient.js";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { startTestPlatform, type TestPlatform } from "../support/startTestPlatform.js";

let platform: TestPlatform;
let server: RunningServer;
let call: ApiClient;
let adminKey: string;

function errorOf(result: ApiResponse): ApiErrorBody["error"] {
  return (result.body as ApiErrorBody).error;
}

beforeAll(async () => {
  platform = await startTestPlatform("api");
  ({ server, call } = platform);
  adminKey = server.firstAdminApiKey!;
});

afterAll(async () => {
  await platform?.stop();
});

describe("issuers and API keys", () => {
  test("POST /api/issuers without a key is refused with UNAUTHENTICATED", async () => {
    const result = await call("POST", "/api/issuers", { body: { name: "Dunhuang Academy" } });
    expect(result.status).toBe(401);
    expect(errorOf(result).code).toBe("UNAUTHENTICATED");
  });

  test("POST /api/issuers with the admin key returns the issuer and its key once", async () => {
    const result = await call("POST", "/api/issuers", { key: adminKey, body: { name: "Dunhuang Academy" } });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      name: "Dunhuang Academy",
      apiKey: expect.stringMatching(/^vmn_/),
      address: expect.stringMatching(/^0x[0-9a-f]{40}$/),
      custody: "custodial",
      operatingAddress: expect.stringMatching(/^0x[0-9a-f]{40}$/),
    });
    const list = await call("GET", "/api/issuers", { key: adminKey });
    expect(JSON.stringify(list.body)).not.toContain((result.body as { apiKey: string }).apiKey);
  });

  test("GET /api/issuers/me says who a key acts as: the issuer (id and name), an admin, or 401 UNAUTHENTICATED", async () => {
    const created = await call<{ issuerId: string; apiKey: string; address: string; operatingAddress: string }>("POST", "/api/issuers", {
      key: adminKey,
      body: { name: "Palace Museum" },
    });
    expect(await call("GET", "/api/issuers/me", { key: created.body.apiKey })).toMatchObject({
      status: 200,
      body: {
        kind: "issuer",
        issuerId: created.body.issuerId,
        name: "Palace Museum",
        address: created.body.address,
        custody: "custodial",
        operatingAddress: created.body.operatingAddress,
      },
    });
    expect(await call("GET", "/api/issuers/me", { key: adminKey })).toMatchObject({
      status: 200,
      body: { kind: "admin", issuerId: null, name: null, address: null, custody: null, operatingAddress: null },
    });
    const anonymous = await call("GET", "/api/issuers/me", { key: "vmn_not-a-key" });
    expect(anonymous.status).toBe(401);
    expect(errorOf(anonymous).code).toBe("UNAUTHENTICATED");
  });

  test("bad input names the field: empty name, unknown field, malformed JSON", async () => {
    const empty = await call("POST", "/api/issuers", { key: adminKey, body: { name: "  " } });
    expect(empty.status).toBe(400);
    expect(errorOf(empty)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.name" } });
    const unknown = await call("POST", "/api/issuers", { key: adminKey, body: { name: "A", extra: 1 } });
    expect(errorOf(unknown).code).toBe("VALIDATION_FAILED");
    const malformed = await call("POST", "/api/issuers", { key: adminKey, rawBody: "{not json" });
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed).code).toBe("INVALID_JSON");
  });

  test("an oversized JSON body is refused with 413 PAYLOAD_TOO_LARGE", async () => {
    const result = await call("POST", "/api/issuers", { key: adminKey, body: { name: "x".repeat(2_000_000) } });
    expect(result.status).toBe(413);
    expect(errorOf(result).code).toBe("PAYLOAD_TOO_LARGE");
  });

  test("an issuer key cannot use admin routes, and a revoked key stops working", async () => {
    const created = (await call("POST", "/api/issuers", { key: adminKey, body: { name: "Palace Museum" } })).body as {
      issuerId: string;
      keyId: string;
      apiKey: string;
    };
    const forbidden = await call("POST", "/api/issuers", { key: created.apiKey, body: { name: "X" } });
    expect(forbidden.status).toBe(403);
    expect(errorOf(forbidden).code).toBe("FORBIDDEN");

    const second = (await call("POST", `/api/issuers/${created.issuerId}/keys`, { key: adminKey, body: {} })).body as {
      keyId: string;
      apiKey: string;
    };
    expect((await call("DELETE", `/api/keys/${second.keyId}`, { key: adminKey })).status).toBe(204);
    const revoked = await call("POST", "/api/collections", { key: second.apiKey, body: { name: "A", symbol: "A" } });
    expect(revoked.status).toBe(401);
    expect(errorOf(revoked).code).toBe("UNAUTHENTICATED");

    const missing = await call("DELETE", "/api/keys/00000000-0000-4000-8000-000000000000", { key: adminKey });
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe("NOT_FOUND");
    const badId = await call("POST", "/api/issuers/not-a-uuid/keys", { key: adminKey, body: {} });
    expect(errorOf(badId)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "params.issuerId" } });
  });
});

describe("collections", () => {
  test("an issuer creates a collection: deployed through the factory, listed, readable on-chain", async () => {
    const issuer = (await call("POST", "/api/issuers", { key: adminKey, body: { name: "Mogao Grottoes" } })).body as {
      issuerId: string;
      apiKey: string;
      address: string;
      operatingAddress: string;
    };
    const created = await call("POST", "/api/collections", {
      key: issuer.apiKey,
      body: { name: "Dunhuang Murals", symbol: "DHM", contractURI: "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e" },
    });
    expect(created.status).toBe(201);
    const collection = created.body as { address: `0x${string}`; status: string; issuerId: string; txHash: string };
    expect(collection).toMatchObject({
      status: "deployed",
      issuerId: issuer.issuerId,
      issuer: { name: "Mogao Grottoes", address: issuer.address },
      adminAddress: issuer.address,
      operatingAddress: issuer.operatingAddress,
      txHash: expect.stringMatching(/^0x/),
    });

    const client = createPublicClient({ transport: http(server.rpcUrl) });
    expect(await client.readContract({ address: collection.address, abi: vermilionCollectionAbi, functionName: "name" })).toBe(
      "Dunhuang Murals",
    );

    const list = (await call("GET", "/api/collections")).body as { collections: Array<{ address: string }> };
    expect(list.collections.map((entry) => entry.address)).toContain(collection.address);
    const one = await call("GET", `/api/collections/${collection.address.toLowerCase()}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      address: collection.address,
      name: "Dunhuang Murals",
      symbol: "DHM",
      issuer: { name: "Mogao Grottoes", address: issuer.address },
      adminAddress: issuer.address,
      operatingAddress: issuer.operatingAddress,
    });
  });

  test("collection input errors: bad symbol, admin without issuerId, bad and unknown addresses", async () => {
    const issuer = (await call("POST", "/api/issuers", { key: adminKey, body: { name: "Suzhou Museum" } })).body as {
      apiKey: string;
    };
    const badSymbol = await call("POST", "/api/collections", { key: issuer.apiKey, body: { name: "A", symbol: "A B" } });
    expect(errorOf(badSymbol)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.symbol" } });
    const adminWithout = await call("POST", "/api/collections", { key: adminKey, body: { name: "A", symbol: "A" } });
    expect(errorOf(adminWithout)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "body.issuerId" } });
    const badAddress = await call("GET", "/api/collections/0x1234");
    expect(badAddress.status).toBe(400);
    expect(errorOf(badAddress)).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "params.address" } });
    const unknown = await call("GET", `/api/collections/0x${"ab".repeat(20)}`);
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe("NOT_FOUND");
  });
});
