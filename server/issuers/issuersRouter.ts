import type { Router } from "express";
import type { AuthenticatorDependencies } from "../auth/authenticate.js";
import type { Database } from "../db/Database.js";
import type { WhoAmIView } from "../views/issuerView.js";

import express from "express";
import { z } from "zod";

import { createAuthenticator, principalOf } from "../auth/authenticate.js";
import { createApiKey } from "../auth/createApiKey.js";
import { VermilionError } from "../errors/VermilionError.js";
import { parseInput } from "../http/parseInput.js";
import { createIssuer } from "./createIssuer.js";
import type { RouteDoc } from "../http/routeDoc.js";

export interface IssuersRouterDependencies {
  db: Database;
  adminApiKey?: AuthenticatorDependencies["adminApiKey"];
}

const createIssuerBody = z.object({ name: z.string().trim().min(1, "must not be empty").max(200) }).strict();
const issuerIdParams = z.object({ issuerId: z.uuid("must be an issuer id (UUID)") });
const keyIdParams = z.object({ keyId: z.uuid("must be a key id (UUID)") });
const createKeyBody = z.object({ label: z.string().max(200).optional() }).strict();

/** Admin routes: register issuers, issue and revoke their API keys. Keys are returned once. */
export function createIssuersRouter(deps: IssuersRouterDependencies): Router {
  const { db } = deps;
  const { requireAdmin, requireIssuer } = createAuthenticator(deps);
  const router = express.Router();

  // Who a key acts as: the issuer console signs in with a key and needs its issuer to list its collections.
  router.get("/api/issuers/me", requireIssuer, async (_request, response) => {
    const principal = principalOf(response);
    if (principal.kind === "admin") {
      response.json({ kind: "admin", issuerId: null, name: null } satisfies WhoAmIView);
      return;
    }
    const { rows } = await db.query<{ name: string }>("SELECT name FROM issuers WHERE issuer_id = $1", [principal.issuerId]);
    response.json({ kind: "issuer", issuerId: principal.issuerId, name: rows[0]?.name ?? null } satisfies WhoAmIView);
  });

  router.post("/api/issuers", requireAdmin, async (request, response) => {
    const body = parseInput(createIssuerBody, request.body ?? {}, "body");
    response.status(201).json(await createIssuer(db, body));
  });

  router.get("/api/issuers", requireAdmin, async (_request, response) => {
    const { rows } = await db.query<{ issuer_id: string; name: string; created_at: Date }>(
      "SELECT issuer_id, name, created_at FROM issuers ORDER BY created_at, issuer_id",
    );
    response.json({
      issuers: rows.map((row) => ({ issuerId: row.issuer_id, name: row.name, createdAt: row.created_at.toISOString() })),
    });
  });

  router.post("/api/issuers/:issuerId/keys", requireAdmin, async (request, response) => {
    const { issuerId } = parseInput(issuerIdParams, request.params, "params");
    const body = parseInput(createKeyBody, request.body ?? {}, "body");
    const { rows } = await db.query("SELECT 1 FROM issuers WHERE issuer_id = $1", [issuerId]);
    if (rows.length === 0) throw new VermilionError("NOT_FOUND", { resource: `issuer ${issuerId}` });
    response.status(201).json(await createApiKey(db, { issuerId, label: body.label ?? "" }));
  });

  router.delete("/api/keys/:keyId", requireAdmin, async (request, response) => {
    const { keyId } = parseInput(keyIdParams, request.params, "params");
    const { rows } = await db.query<{ key_id: string }>(
      "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = $1 RETURNING key_id",
      [keyId],
    );
    if (rows.length === 0) throw new VermilionError("NOT_FOUND", { resource: `API key ${keyId}` });
    response.status(204).end();
  });

  return router;
}

/** The routes above, for the OpenAPI document. */
export const issuersRouteDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/api/issuers",
    summary: "Register an issuer; returns its first API key, once",
    auth: "admin",
    body: createIssuerBody,
    responses: { 201: "The issuer and its API key", 400: "Invalid body", 401: "No valid key", 403: "Not an admin key" },
  },
  {
    method: "get",
    path: "/api/issuers/me",
    summary: "Who the presented key acts as: { kind: admin | issuer, issuerId, name }",
    auth: "issuer",
    responses: { 200: "The key's principal", 401: "No valid key" },
  },
  { method: "get", path: "/api/issuers", summary: "List issuers", auth: "admin", responses: { 200: "Issuers", 401: "No valid key", 403: "Not an admin key" } },
  {
    method: "post",
    path: "/api/issuers/:issuerId/keys",
    summary: "Issue another API key for an issuer; returned once",
    auth: "admin",
    params: issuerIdParams,
    body: createKeyBody,
    responses: { 201: "The key", 400: "Invalid input", 401: "No valid key", 403: "Not an admin key", 404: "No such issuer" },
  },
  {
    method: "delete",
    path: "/api/keys/:keyId",
    summary: "Revoke an API key",
    auth: "admin",
    params: keyIdParams,
    responses: { 204: "Revoked", 400: "Invalid key id", 401: "No valid key", 403: "Not an admin key", 404: "No such key" },
  },
];
