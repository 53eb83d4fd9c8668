import type { Router } from "express";
import type { AuthenticatorDependencies } from "../auth/authenticate.js";
import type { CollectionDependencies } from "./createCollection.js";
import type { CollectionViewRow } from "./collectionView.js";

import express from "express";
import { z } from "zod";

import { createAuthenticator, principalOf } from "../auth/authenticate.js";
import { VermilionError } from "../errors/VermilionError.js";
import { parseInput } from "../http/parseInput.js";
import { collectionParams } from "../http/pathParameters.js";
import { COLLECTION_VIEW_SELECT, toCollectionView } from "./collectionView.js";
import { createCollection } from "./createCollection.js";
import { optionalIdempotencyHeaders, respondIdempotently } from "../idempotency/respondIdempotently.js";
import type { RouteDoc } from "../http/routeDoc.js";

export type CollectionsRouterDependencies = CollectionDependencies & {
  adminApiKey?: AuthenticatorDependencies["adminApiKey"];
};

const createCollectionBody = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(100),
    symbol: z.string().trim().min(1, "must not be empty").max(16).regex(/^[A-Za-z0-9]+$/, "must be letters and digits"),
    contractURI: z.string().max(256).default(""),
    /** Admin keys act for an issuer named here; issuer keys act for themselves. */
    issuerId: z.uuid("must be an issuer id (UUID)").optional(),
  })
  .strict();

/** Issuers create collections (deployed through the factory); anyone lists and reads them. */
export function createCollectionsRouter(deps: CollectionsRouterDependencies): Router {
  const { db } = deps;
  const { requireIssuer } = createAuthenticator(deps);
  const router = express.Router();

  router.post("/api/collections", requireIssuer, async (request, response) => {
    const body = parseInput(createCollectionBody, request.body ?? {}, "body");
    const principal = principalOf(response);
    let issuerId: string;
    if (principal.kind === "issuer") {
      if (body.issuerId && body.issuerId !== principal.issuerId) {
        throw new VermilionError("FORBIDDEN", { resource: `issuer ${body.issuerId}` });
      }
      issuerId = principal.issuerId;
    } else {
      if (!body.issuerId) {
        throw new VermilionError("VALIDATION_FAILED", { field: "body.issuerId", reason: "is required with an admin key" });
      }
      const { rows } = await db.query("SELECT 1 FROM issuers WHERE issuer_id = $1", [body.issuerId]);
      if (rows.length === 0) throw new VermilionError("NOT_FOUND", { resource: `issuer ${body.issuerId}` });
      issuerId = body.issuerId;
    }
    await respondIdempotently(deps, request, response, { operation: "POST /api/collections", request: { body } }, async () => {
      const collection = await createCollection(deps, {
        issuerId,
        name: body.name,
        symbol: body.symbol,
        contractURI: body.contractURI,
      });
      return { status: 201, body: collection };
    });
  });

  router.get("/api/collections", async (_request, response) => {
    const { rows } = await db.query<CollectionViewRow>(
      `${COLLECTION_VIEW_SELECT} WHERE c.chain_id = $1 AND c.status = 'deployed' ORDER BY c.created_at, c.collection_id`,
      [BigInt(deps.chain.chainId)],
    );
    response.json({ collections: rows.map(toCollectionView) });
  });

  router.get("/api/collections/:address", async (request, response) => {
    const { address } = parseInput(collectionParams, request.params, "params");
    const { rows } = await db.query<CollectionViewRow>(
      `${COLLECTION_VIEW_SELECT} WHERE c.chain_id = $1 AND c.address = $2`,
      [BigInt(deps.chain.chainId), address],
    );
    if (!rows[0]) throw new VermilionError("NOT_FOUND", { resource: `collection ${address}` });
    response.json(toCollectionView(rows[0]));
  });

  return router;
}

/** The routes above, for the OpenAPI document. */
export const collectionsRouteDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/api/collections",
    summary:
      "Deploy a collection for the issuer through the factory: its admin is the issuer's address, its issuing role the issuer's operating key; the platform's key holds no role on it",
    auth: "issuer",
    headers: optionalIdempotencyHeaders,
    body: createCollectionBody,
    responses: {
      201: "The deployed collection; a retry with the same Idempotency-Key gets this answer again (Idempotent-Replayed: true), not a second collection",
      400: "Invalid body",
      401: "No valid key",
      403: "Another issuer",
      404: "No such issuer",
      409: "IDEMPOTENCY_KEY_REUSED (the key was used for another request) or IDEMPOTENCY_REQUEST_IN_PROGRESS (its first request is still running)",
      503: "Chain unavailable",
    },
  },
  {
    method: "get",
    path: "/api/collections",
    summary: "List deployed collections, each with issuer { name, address }, adminAddress and operatingAddress",
    auth: "none",
    responses: { 200: "Collections" },
  },
  {
    method: "get",
    path: "/api/collections/:address",
    summary: "One collection",
    auth: "none",
    params: collectionParams,
    responses: { 200: "The collection", 400: "Malformed address", 404: "No such collection" },
  },
];
