import type { RouteDoc } from "../http/routeDoc.js";
import type { ProvenanceDeps } from "./ProvenanceDeps.js";

import { Router } from "express";
import { z } from "zod";

import { parseInput } from "../http/parseInput.js";
import { addressSchema } from "../http/pathParameters.js";
import { getEditionTokens } from "./getEditionTokens.js";
import { getOwnerTokens } from "./getOwnerTokens.js";
import { getToken } from "./getToken.js";
import { getTokenProvenance } from "./getTokenProvenance.js";
import { search } from "./search.js";

export type CreateProvenanceRouterParameters = ProvenanceDeps;

const uint63 = z
  .string()
  .regex(/^\d{1,19}$/, "expected a decimal integer")
  .transform((value) => BigInt(value))
  .refine((value) => value <= 2n ** 63n - 1n, "too large");
const page = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
});

const tokenParams = z.object({ address: addressSchema, tokenId: uint63 });
const ownerParams = z.object({ owner: addressSchema });
const editionParams = z.object({ address: addressSchema, editionId: uint63 });
const searchQuery = z.object({ q: z.string().min(1).max(200) });

/**
 * The collector-facing provenance API over the index: thin routes that parse with zod, call an action
 * and send its result (each carries `indexedBlock`, so a client knows how fresh it is). Errors go to
 * the app's central handler.
 */
export function createProvenanceRouter(deps: CreateProvenanceRouterParameters): Router {
  const router = Router();

  router.get("/api/tokens/:address/:tokenId", async (request, response) => {
    const { address: collection, tokenId } = parseInput(tokenParams, request.params, "params");
    response.json(await getToken(deps, { collection, tokenId }));
  });

  router.get("/api/tokens/:address/:tokenId/provenance", async (request, response) => {
    const { address: collection, tokenId } = parseInput(tokenParams, request.params, "params");
    response.json(await getTokenProvenance(deps, { collection, tokenId }));
  });

  router.get("/api/owners/:owner/tokens", async (request, response) => {
    const { owner } = parseInput(ownerParams, request.params, "params");
    const query = parseInput(page, request.query, "query");
    response.json(await getOwnerTokens(deps, { owner, ...query }));
  });

  router.get("/api/collections/:address/editions/:editionId/tokens", async (request, response) => {
    const { address: collection, editionId } = parseInput(editionParams, request.params, "params");
    const query = parseInput(page, request.query, "query");
    response.json(await getEditionTokens(deps, { collection, editionId, ...query }));
  });

  router.get("/api/search", async (request, response) => {
    const { q } = parseInput(searchQuery, request.query, "query");
    response.json(await search(deps, { q }));
  });

  return router;
}

/** The routes above, for the OpenAPI document. */
export const provenanceRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/tokens/:address/:tokenId",
    summary: "A token as indexed: owner, edition and serial, URIs, policy and lock, burn",
    auth: "none",
    params: tokenParams,
    responses: { 200: "The token and the indexed block", 400: "Malformed address or token id", 404: "TOKEN_NOT_FOUND" },
  },
  {
    method: "get",
    path: "/api/tokens/:address/:tokenId/provenance",
    summary: "A token's full ordered history: mint, transfers, burn, each with block hash, log index and finality",
    auth: "none",
    params: tokenParams,
    responses: { 200: "The history and the indexed block", 400: "Malformed address or token id", 404: "TOKEN_NOT_FOUND" },
  },
  {
    method: "get",
    path: "/api/owners/:owner/tokens",
    summary: "Tokens an address holds across collections, paginated with cursors",
    auth: "none",
    params: ownerParams,
    query: page,
    responses: { 200: "A page of tokens and the next cursor", 400: "Malformed owner, limit or cursor" },
  },
  {
    method: "get",
    path: "/api/collections/:address/editions/:editionId/tokens",
    summary: "An edition's minted/max and sealed state, and its serials with owners",
    auth: "none",
    params: editionParams,
    query: page,
    responses: { 200: "The edition and a page of serials", 400: "Malformed address, edition id, limit or cursor", 404: "EDITION_NOT_FOUND" },
  },
  {
    method: "get",
    path: "/api/search",
    summary: "Search by transaction hash, address, token id or serial (#42, 42/10000)",
    auth: "none",
    query: searchQuery,
    responses: { 200: "Matching tokens (and a transaction's transfers)", 400: "A query of no known form" },
  },
];
