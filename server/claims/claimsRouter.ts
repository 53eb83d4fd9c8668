import type { Request, Router } from "express";
import type { ChainClients } from "../chain/createChainClients.js";
import type { AuthenticatorDependencies } from "../auth/authenticate.js";
import type { Database } from "../db/Database.js";
import type { RouteDoc } from "../http/routeDoc.js";
import type { ClaimCodeKey } from "./claimCodes.js";

import express from "express";
import { z } from "zod";

import { createAuthenticator, principalOf } from "../auth/authenticate.js";
import { findIssuerCollection } from "../collections/findIssuerCollection.js";
import { addressSchema, editionParams } from "../http/pathParameters.js";
import { parseInput } from "../http/parseInput.js";
import { optionalIdempotencyHeaders, respondIdempotently } from "../idempotency/respondIdempotently.js";
import { cancelClaimBatch, cancelClaimCode } from "./cancelClaimCodes.js";
import { normalizeClaimCode } from "./claimCodes.js";
import { claimWithCode } from "./claimWithCode.js";
import { createClaimBatch } from "./createClaimBatch.js";
import { getClaim } from "./getClaim.js";
import { findClaimBatch, getClaimBatch, listClaimBatches } from "./getClaimBatch.js";
import { holdClaimCode } from "./holdClaimCode.js";
import { claimCodesCsv, listClaimBatchCodes } from "./listClaimBatchCodes.js";

export interface ClaimsRouterDependencies {
  db: Database;
  chain: ChainClients;
  claimCodeKey: ClaimCodeKey;
  adminApiKey?: AuthenticatorDependencies["adminApiKey"];
  /** Called after a code is bound, to wake the claim dispatcher. */
  onClaimed: () => void;
}

/** Codes per batch at most: a sheet an exhibition prints, and one INSERT. */
export const MAX_CLAIM_BATCH_CODES = 10_000;
/** The longest a batch may stay valid: a year. */
const MAX_VALID_SECONDS = 366 * 86_400;

const batchBody = z
  .object({
    count: z.number().int("must be an integer").min(1, "must be at least 1").max(MAX_CLAIM_BATCH_CODES, `must be at most ${MAX_CLAIM_BATCH_CODES}`),
    validForSeconds: z.number().int("must be an integer").min(60, "must be at least 60").max(MAX_VALID_SECONDS, `must be at most ${MAX_VALID_SECONDS}`).optional(),
    expiresAt: z.iso
      .datetime({ offset: true, error: "must be an ISO 8601 date-time" })
      .refine((value) => Date.parse(value) > Date.now(), "must be in the future")
      .optional(),
    label: z.string().max(100, "must be at most 100 characters").optional(),
  })
  .strict()
  .refine((body) => (body.validForSeconds === undefined) !== (body.expiresAt === undefined), {
    message: "must give exactly one of validForSeconds and expiresAt",
    path: ["validForSeconds"],
  });

const codeSchema = z
  .string()
  .transform((text, context) => {
    const code = normalizeClaimCode(text);
    if (code === undefined) {
      context.addIssue({ code: "custom", message: "must be a claim code (20 characters of Crockford base32)" });
      return z.NEVER;
    }
    return code;
  });
const codeParams = z.object({ code: codeSchema });
const holdTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "must be 16–64 letters, digits, - or _").optional();
const holdBody = z.object({ holdToken: holdTokenSchema }).strict();
const claimBody = z.object({ to: addressSchema, holdToken: holdTokenSchema }).strict();
const batchParams = z.object({ batchId: z.uuid("must be a batch id (UUID)") });
const codeNumberParams = batchParams.extend({
  number: z.string().regex(/^[1-9][0-9]{0,4}$/, "must be a positive integer").transform(Number),
});

/** The page origin claim URLs start with: the one the issuer's console reached us at. */
function originOf(request: Request): string {
  return `${request.protocol}://${request.get("host") ?? "localhost"}`;
}

/**
 * Claim codes: issuers create batches, download and cancel their codes; anyone holding a code holds it
 * for their device, claims it for an address, and follows the mint.
 */
export function createClaimsRouter(deps: ClaimsRouterDependencies): Router {
  const { db, chain } = deps;
  const { requireIssuer } = createAuthenticator(deps);
  const router = express.Router();

  router.post("/api/collections/:address/editions/:editionId/claim-batches", requireIssuer, async (request, response) => {
    const params = parseInput(editionParams, request.params, "params");
    const body = parseInput(batchBody, request.body ?? {}, "body");
    const collection = await findIssuerCollection(db, chain.chainId, params.address, principalOf(response));
    await respondIdempotently(
      deps,
      request,
      response,
      { operation: "POST /api/collections/:address/editions/:editionId/claim-batches", request: { params, body } },
      async () => {
        const expiresAt = body.expiresAt === undefined ? new Date(Date.now() + body.validForSeconds! * 1000) : new Date(body.expiresAt);
        const batch = await createClaimBatch(deps, {
          issuerId: collection.issuerId,
          collection: params.address,
          editionId: params.editionId,
          count: body.count,
          expiresAt,
          label: body.label,
        });
        return { status: 201, body: batch };
      },
    );
  });

  router.get("/api/collections/:address/editions/:editionId/claim-batches", requireIssuer, async (request, response) => {
    const params = parseInput(editionParams, request.params, "params");
    await findIssuerCollection(db, chain.chainId, params.address, principalOf(response));
    response.json({ batches: await listClaimBatches(db, { chainId: chain.chainId, collection: params.address, editionId: params.editionId }) });
  });

  router.get("/api/claim-batches/:batchId", requireIssuer, async (request, response) => {
    const { batchId } = parseInput(batchParams, request.params, "params");
    response.json(await getClaimBatch(db, { batchId, principal: principalOf(response) }));
  });

  router.get("/api/claim-batches/:batchId/codes", requireIssuer, async (request, response) => {
    const { batchId } = parseInput(batchParams, request.params, "params");
    await findClaimBatch(db, { batchId, principal: principalOf(response) });
    response.setHeader("Cache-Control", "no-store");
    response.json({ codes: await listClaimBatchCodes(deps, { batchId, origin: originOf(request) }) });
  });

  router.get("/api/claim-batches/:batchId/codes.csv", requireIssuer, async (request, response) => {
    const { batchId } = parseInput(batchParams, request.params, "params");
    await findClaimBatch(db, { batchId, principal: principalOf(response) });
    const codes = await listClaimBatchCodes(deps, { batchId, origin: originOf(request) });
    response
      .setHeader("Cache-Control", "no-store")
      .attachment(`claim-codes-${batchId}.csv`)
      .type("text/csv; charset=utf-8")
      .send(claimCodesCsv(codes));
  });

  router.post("/api/claim-batches/:batchId/cancel", requireIssuer, async (request, response) => {
    const { batchId } = parseInput(batchParams, request.params, "params");
    await findClaimBatch(db, { batchId, principal: principalOf(response) });
    await respondIdempotently(deps, request, response, { operation: "POST /api/claim-batches/:batchId/cancel", request: { batchId } }, async () => {
      await cancelClaimBatch(db, { batchId });
      return { status: 200, body: await getClaimBatch(db, { batchId }) };
    });
  });

  router.post("/api/claim-batches/:batchId/codes/:number/cancel", requireIssuer, async (request, response) => {
    const { batchId, number } = parseInput(codeNumberParams, request.params, "params");
    await findClaimBatch(db, { batchId, principal: principalOf(response) });
    await respondIdempotently(
      deps,
      request,
      response,
      { operation: "POST /api/claim-batches/:batchId/codes/:number/cancel", request: { batchId, number } },
      async () => {
        await cancelClaimCode(db, { batchId, number });
        return { status: 200, body: await getClaimBatch(db, { batchId }) };
      },
    );
  });

  router.get("/api/claims/:code", async (request, response) => {
    const { code } = parseInput(codeParams, request.params, "params");
    response.setHeader("Cache-Control", "no-store");
    response.json(await getClaim(db, { code }));
  });

  router.post("/api/claims/:code/hold", async (request, response) => {
    const { code } = parseInput(codeParams, request.params, "params");
    const body = parseInput(holdBody, request.body ?? {}, "body");
    response.json(await holdClaimCode(db, { code, holdToken: body.holdToken }));
  });

  router.post("/api/claims/:code", async (request, response) => {
    const { code } = parseInput(codeParams, request.params, "params");
    const body = parseInput(claimBody, request.body ?? {}, "body");
    const result = await claimWithCode(db, { code, to: body.to, holdToken: body.holdToken });
    if (result.bound) deps.onClaimed();
    response.json(result.claim);
  });

  return router;
}

const claimResponses = {
  400: "Malformed code or body (VALIDATION_FAILED naming the field)",
  404: "CLAIM_CODE_NOT_FOUND",
  409: "CLAIM_CODE_HELD (another device holds it, until `heldUntil`) or CLAIM_CODE_USED (bound to another address)",
  410: "CLAIM_CODE_EXPIRED or CLAIM_CODE_CANCELLED",
  429: "RATE_LIMITED",
};

/** The routes above, for the OpenAPI document. */
export const claimsRouteDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/api/collections/:address/editions/:editionId/claim-batches",
    summary: "Create a batch of one-time claim codes ({ count, validForSeconds | expiresAt, label? }); each holds one token of the edition's supply until claimed and minted, expired or cancelled",
    auth: "issuer",
    params: editionParams,
    headers: optionalIdempotencyHeaders,
    body: batchBody,
    responses: {
      201: "The batch with its counts",
      400: "Invalid input",
      401: "No valid key",
      403: "Another issuer's collection",
      404: "No such collection or edition",
      409: "EDITION_SOLD_OUT, EDITION_SEALED or IDEMPOTENCY_KEY_REUSED",
    },
  },
  {
    method: "get",
    path: "/api/collections/:address/editions/:editionId/claim-batches",
    summary: "An edition's claim batches, newest first, with their codes counted by state (open, held, claimed, minting, minted, failed, expired, cancelled)",
    auth: "issuer",
    params: editionParams,
    responses: { 200: "{ batches }", 401: "No valid key", 403: "Another issuer's collection", 404: "No such collection" },
  },
  {
    method: "get",
    path: "/api/claim-batches/:batchId",
    summary: "A claim batch with its codes counted by state",
    auth: "issuer",
    params: batchParams,
    responses: { 200: "The batch", 400: "Malformed batch id", 401: "No valid key", 404: "No such batch (or another issuer's)" },
  },
  {
    method: "get",
    path: "/api/claim-batches/:batchId/codes",
    summary: "Every code of a batch ({ codes: [{ number, code, url, state, recipient, tokenId }] }), derived again from the server's key",
    auth: "issuer",
    params: batchParams,
    responses: { 200: "{ codes }", 400: "Malformed batch id", 401: "No valid key", 404: "No such batch" },
  },
  {
    method: "get",
    path: "/api/claim-batches/:batchId/codes.csv",
    summary: "The codes of a batch as CSV: number, code, url, state",
    auth: "issuer",
    params: batchParams,
    responses: { 200: "text/csv", 400: "Malformed batch id", 401: "No valid key", 404: "No such batch" },
  },
  {
    method: "post",
    path: "/api/claim-batches/:batchId/cancel",
    summary: "Cancel every open code of a batch, releasing its supply at once; claimed codes are still minted",
    auth: "issuer",
    params: batchParams,
    headers: optionalIdempotencyHeaders,
    responses: { 200: "The batch", 400: "Malformed batch id", 401: "No valid key", 404: "No such batch", 409: "IDEMPOTENCY_KEY_REUSED" },
  },
  {
    method: "post",
    path: "/api/claim-batches/:batchId/codes/:number/cancel",
    summary: "Cancel one open code of a batch by its number, releasing its token of supply",
    auth: "issuer",
    params: codeNumberParams,
    headers: optionalIdempotencyHeaders,
    responses: { 200: "The batch", 400: "Malformed input", 401: "No valid key", 404: "No such batch or code", 409: "CLAIM_CODE_USED (already claimed) or IDEMPOTENCY_KEY_REUSED" },
  },
  {
    method: "get",
    path: "/api/claims/:code",
    summary: "Where a claim code stands (open, held, claimed, minting, minted, failed, cancelled, expired), its edition, recipient, token, transaction and what its mint waits on",
    auth: "none",
    params: codeParams,
    responses: { 200: "The claim", 400: "Malformed code", 404: "CLAIM_CODE_NOT_FOUND" },
  },
  {
    method: "post",
    path: "/api/claims/:code/hold",
    summary: "Hold an open code for this device for ten minutes ({ holdToken? } renews): while held, only a claim with the returned holdToken binds it",
    auth: "none",
    params: codeParams,
    body: holdBody,
    responses: { 200: "{ holdToken, heldUntil, claim }", ...claimResponses, 409: "CLAIM_CODE_HELD or CLAIM_CODE_USED (already claimed)" },
  },
  {
    method: "post",
    path: "/api/claims/:code",
    summary: "Claim a code for an address ({ to, holdToken? }): binds it once; the same address again gets the same answer; the platform then mints to it (gasless)",
    auth: "none",
    params: codeParams,
    body: claimBody,
    responses: { 200: "The claim", ...claimResponses },
  },
];
