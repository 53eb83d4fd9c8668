import type { Queryable } from "../db/Database.js";
import type { ListeningServer } from "../../test/support/listen.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";

import express from "express";
import pino from "pino";
import { afterAll, beforeAll, expect, test } from "vitest";

import { listen } from "../../test/support/listen.js";
import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { createApp } from "../app.js";
import { createAuthenticator } from "./authenticate.js";
import { createApiKey } from "./createApiKey.js";
import { clientKeyOf, identifyClient } from "./identifyClient.js";

const ADMIN_API_KEY = "identify-client-admin-key-0123456789";
let testDatabase: TestDatabase;
let server: ListeningServer;
let keyLookups = 0;
let admin: { keyId: string; apiKey: string };

beforeAll(async () => {
  testDatabase = await openTestDatabase();
  admin = await createApiKey(testDatabase.db, { issuerId: null });
  // Counts the key lookups the app makes, to show the route's requireAdmin reuses the middleware's.
  const db: Queryable = {
    query: (sql, params) => {
      if (sql.includes("FROM api_keys")) keyLookups += 1;
      return testDatabase.db.query(sql, params);
    },
  };
  const { requireAdmin } = createAuthenticator({ db, adminApiKey: ADMIN_API_KEY });
  const router = express.Router();
  router.get("/who", (_request, response) => {
    response.json({ clientKey: clientKeyOf(response) });
  });
  router.get("/admin-only", requireAdmin, (_request, response) => {
    response.json({ clientKey: clientKeyOf(response) });
  });
  server = await listen(
    createApp({
      logger: pino({ level: "silent" }),
      identifyClient: identifyClient({ db, adminApiKey: ADMIN_API_KEY }),
      routers: [router],
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await testDatabase?.dispose();
});

async function clientKey(path: string, authorization?: string): Promise<{ status: number; clientKey?: string }> {
  const response = await fetch(`${server.baseUrl}${path}`, { headers: authorization ? { authorization } : {} });
  return { status: response.status, ...((await response.json()) as { clientKey?: string }) };
}

test("a valid key is its key id however the header spells it; the environment's admin key is admin-env", async () => {
  for (const authorization of [`Bearer ${admin.apiKey}`, `bearer ${admin.apiKey}`, `Bearer  ${admin.apiKey}`, `BEARER\t${admin.apiKey}`]) {
    expect(await clientKey("/who", authorization)).toEqual({ status: 200, clientKey: `key:${admin.keyId}` });
  }
  expect(await clientKey("/who", `Bearer ${ADMIN_API_KEY}`)).toEqual({ status: 200, clientKey: "key:admin-env" });
});

test("no key, a made-up key, another scheme and a revoked key all count against the client address", async () => {
  const revoked = await createApiKey(testDatabase.db, { issuerId: null });
  await testDatabase.db.query("UPDATE api_keys SET revoked_at = now() WHERE key_id = $1", [revoked.keyId]);
  for (const authorization of [undefined, "Bearer made-up", "Basic bWFkZTp1cA==", `Bearer ${admin.apiKey} extra`, `Bearer ${revoked.apiKey}`]) {
    expect(await clientKey("/who", authorization)).toEqual({ status: 200, clientKey: "ip:127.0.0.1" });
  }
});

test("requireAdmin reuses the middleware's lookup (one per request) and keeps its answers", async () => {
  keyLookups = 0;
  expect(await clientKey("/admin-only", `Bearer ${admin.apiKey}`)).toEqual({ status: 200, clientKey: `key:${admin.keyId}` });
  expect(keyLookups).toBe(1);
  expect((await clientKey("/admin-only", "Bearer made-up")).status).toBe(401);
  expect((await clientKey("/admin-only")).status).toBe(401);
});
