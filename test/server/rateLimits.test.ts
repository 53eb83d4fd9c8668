import type { ApiErrorBody, ApiResponse } from "../support/httpClient.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createClusterDatabase } from "../cluster/clusterSupport.js";
import { errorCode } from "../support/httpClient.js";
import { startAnvil, type StartAnvilReturnType } from "../support/startAnvil.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

const ADMIN_API_KEY = "rate-limit-test-admin-key-0123456789";
const SOME_TOKEN = "/api/tokens/0x00000000000000000000000000000000000000aa/1";
const EMPTY_FILE = "/ipfs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

function limitNameOf(response: ApiResponse): unknown {
  return (response.body as ApiErrorBody).error.details.limitName;
}

/** Each test speaks as its own client address (the platform trusts loopback's X-Forwarded-For). */
const from = (address: string) => ({ "x-forwarded-for": address });

describe("on one instance (embedded PGlite)", () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform("limits", {
      ADMIN_API_KEY,
      TRUST_PROXY: "loopback",
      RATE_LIMIT_API_ANONYMOUS: "5/1m",
      RATE_LIMIT_API_KEY: "4/1m",
      RATE_LIMIT_VERIFY: "2/1m",
      RATE_LIMIT_UPLOAD: "2/1m",
      RATE_LIMIT_IPFS: "3/1m",
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  test("spelling variants of one key share the key's bucket, apart from the client address's", async () => {
    const { call } = platform;
    const issuer = await call<{ apiKey: string }>("POST", "/api/issuers", { key: ADMIN_API_KEY, body: { name: "Variants" } });
    expect(issuer.status).toBe(201);
    const key = issuer.body.apiKey;
    const variants = [`Bearer ${key}`, `bearer ${key}`, `Bearer  ${key}`, `BEARER\t${key}`];
    const headers = { ...from("198.51.100.1") };
    const statuses = [];
    for (const authorization of variants) {
      statuses.push((await call("GET", "/api/issuers/me", { headers: { ...headers, authorization } })).status);
    }
    const refused = await call("GET", "/api/issuers/me", { headers: { ...headers, authorization: `bEaReR   ${key}` } });

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(errorCode(refused)).toBe("RATE_LIMITED");
    expect(limitNameOf(refused)).toBe("api-key");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-policy")).toContain('"api-key"; q=4; w=60');
    // The same address without the key still has its own anonymous budget.
    expect((await call("GET", "/api/collections", { headers })).status).toBe(200);
  });

  test("rotating made-up keys does not escape the client address's anonymous limit", async () => {
    const { call } = platform;
    const headers = from("198.51.100.2");
    const statuses = [];
    for (let index = 0; index < 5; index += 1) {
      statuses.push((await call("GET", "/api/collections", { headers: { ...headers, authorization: `Bearer made-up-${index}` } })).status);
    }
    const anotherMadeUp = await call("GET", "/api/collections", { headers: { ...headers, authorization: "Bearer made-up-next" } });
    const notBearer = await call("GET", "/api/collections", { headers: { ...headers, authorization: "Basic bWFkZTp1cA==" } });
    const noHeader = await call("GET", "/api/collections", { headers });

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect([anotherMadeUp.status, notBearer.status, noHeader.status]).toEqual([429, 429, 429]);
    expect(limitNameOf(noHeader)).toBe("api-anonymous");
    expect(noHeader.headers.get("ratelimit-policy")).toContain('"api-anonymous"; q=5; w=60');
    // A made-up key is still refused as before where a route needs a key.
    expect(errorCode(await call("GET", "/api/issuers/me", { headers: { ...from("198.51.100.3"), authorization: "Bearer made-up" } }))).toBe(
      "UNAUTHENTICATED",
    );
  });

  test("verification and bundle routes have their own stricter budget, on top of the API's", async () => {
    const { call } = platform;
    const headers = from("198.51.100.4");
    const statuses = [
      (await call("GET", `${SOME_TOKEN}/verify`, { headers })).status,
      (await call("GET", "/api/collections/0x00000000000000000000000000000000000000aa/editions/1/bundle.car", { headers })).status,
    ];
    const refused = await call("POST", "/api/collections/0x00000000000000000000000000000000000000aa/editions/1/verify", { headers });
    const cheapRead = await call("GET", SOME_TOKEN, { headers });

    expect(statuses).not.toContain(429);
    expect(refused.status).toBe(429);
    expect(limitNameOf(refused)).toBe("verify");
    expect(cheapRead.status).not.toBe(429);
  });

  test("edition uploads have their own budget, counted by address for requests without a valid key", async () => {
    const { call } = platform;
    const headers = { ...from("198.51.100.5"), authorization: "Bearer made-up" };
    const route = "/api/collections/0x00000000000000000000000000000000000000aa/editions";
    const statuses = [(await call("POST", route, { headers })).status, (await call("POST", route, { headers })).status];
    const refused = await call("POST", route, { headers });

    expect(statuses).toEqual([401, 401]);
    expect(refused.status).toBe(429);
    expect(limitNameOf(refused)).toBe("upload");
  });

  test("the /ipfs gateway is limited too", async () => {
    const { call } = platform;
    const headers = from("198.51.100.6");
    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await call("GET", EMPTY_FILE, { headers })).status);
    const refused = await call("GET", EMPTY_FILE, { headers });

    expect(statuses).not.toContain(429);
    expect(refused.status).toBe(429);
    expect(limitNameOf(refused)).toBe("ipfs");
  });

  test("with loopback trusted, X-Forwarded-For names the client: two addresses behind the proxy count apart", async () => {
    const { call } = platform;
    for (let index = 0; index < 5; index += 1) expect((await call("GET", "/api/collections", { headers: from("203.0.113.1") })).status).toBe(200);
    expect((await call("GET", "/api/collections", { headers: from("203.0.113.1") })).status).toBe(429);
    expect((await call("GET", "/api/collections", { headers: from("203.0.113.2") })).status).toBe(200);
    // IPv6 clients count by /56 subnet: another address in the same subnet shares the bucket.
    for (let index = 0; index < 5; index += 1) expect((await call("GET", "/api/collections", { headers: from(`2001:db8:0:1::${index + 1}`) })).status).toBe(200);
    expect((await call("GET", "/api/collections", { headers: from("2001:db8:0:2::99") })).status).toBe(429);
  });
});

test("without TRUST_PROXY, X-Forwarded-For is ignored: every forged address shares the connection's bucket", async () => {
  const platform = await startTestPlatform("limits-untrusted", { RATE_LIMIT_API_ANONYMOUS: "3/1m" });
  try {
    const statuses = [];
    for (let index = 0; index < 4; index += 1) {
      statuses.push((await platform.call("GET", "/api/collections", { headers: from(`203.0.113.${index + 10}`) })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  } finally {
    await platform.stop();
  }
});

describe("two instances on one PostgreSQL database", () => {
  let anvil: StartAnvilReturnType;
  let database: { url: string; drop: () => Promise<void> };
  const instances: TestPlatform[] = [];

  beforeAll(async () => {
    anvil = await startAnvil();
    database = await createClusterDatabase();
    const env = {
      DATABASE_URL: database.url,
      RPC_URL: anvil.rpcUrl,
      ADMIN_API_KEY,
      RATE_LIMIT_API_ANONYMOUS: "4/1m",
      RATE_LIMIT_API_KEY: "3/1m",
    };
    // One after the other: the first deploys the factory and migrates, the second finds both done.
    instances.push(await startTestPlatform("limits-pg-a", env));
    instances.push(await startTestPlatform("limits-pg-b", env));
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await database?.drop();
    await anvil?.stop();
  });

  test("count one client's requests together, anonymous and by key", async () => {
    const [a, b] = instances as [TestPlatform, TestPlatform];
    const anonymous = [
      (await a.call("GET", "/api/collections")).status,
      (await b.call("GET", "/api/collections")).status,
      (await a.call("GET", "/api/collections")).status,
      (await b.call("GET", "/api/collections")).status,
    ];
    const refusedAtA = await a.call("GET", "/api/collections");
    const refusedAtB = await b.call("GET", "/api/collections");
    expect(anonymous).toEqual([200, 200, 200, 200]);
    expect([refusedAtA.status, refusedAtB.status]).toEqual([429, 429]);
    expect(limitNameOf(refusedAtB)).toBe("api-anonymous");

    const byKey = [
      (await a.call("GET", "/api/issuers", { key: ADMIN_API_KEY })).status,
      (await b.call("GET", "/api/issuers", { headers: { authorization: `bearer  ${ADMIN_API_KEY}` } })).status,
      (await a.call("GET", "/api/issuers", { key: ADMIN_API_KEY })).status,
    ];
    const keyRefused = await b.call("GET", "/api/issuers", { key: ADMIN_API_KEY });
    expect(byKey).toEqual([200, 200, 200]);
    expect(keyRefused.status).toBe(429);
    expect(limitNameOf(keyRefused)).toBe("api-key");
  });
});
