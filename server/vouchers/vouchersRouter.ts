import type { Router } from "express";
import type { AuthenticatorDependencies } from "../auth/authenticate.js";
import type { RouteDoc } from "../http/routeDoc.js";
import type { CancelVoucherDeps } from "./cancelVoucher.js";

import express from "express";
import { z } from "zod";

import { createAuthenticator, principalOf } from "../auth/authenticate.js";
import { findIssuerCollection } from "../collections/findIssuerCollection.js";
import { VermilionError } from "../errors/VermilionError.js";
import { optionalIdempotencyHeaders, respondIdempotently } from "../idempotency/respondIdempotently.js";
import { parseInput } from "../http/parseInput.js";
import { addressSchema, collectionParams, editionParams } from "../http/pathParameters.js";
import { readEditionFromChain } from "../chain/readEditionFromChain.js";
import { VOUCHER_STATES } from "../views/voucherView.js";
import { cancelVoucher } from "./cancelVoucher.js";
import { getVoucher } from "./getVoucher.js";
import { listVouchers } from "./listVouchers.js";
import { relayVoucher } from "./relayVoucher.js";

export type VouchersRouterDependencies = CancelVoucherDeps & {
  adminApiKey?: AuthenticatorDependencies["adminApiKey"];
};

const UINT256_MAX = 2n ** 256n - 1n;

/** A voucher nonce: a decimal uint256. */
const nonceSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, "must be an integer")
  .transform(BigInt)
  .refine((nonce) => nonce <= UINT256_MAX, `must be at most ${UINT256_MAX}`);

const voucherParams = collectionParams.extend({ nonce: nonceSchema });

const listQuery = z
  .object({
    state: z.enum(VOUCHER_STATES, { error: "must be open, redeemed, cancelled, void or expired" }).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.string().regex(/^[0-9]{1,3}$/, "must be an integer from 1 to 100").transform(Number).refine((limit) => limit >= 1 && limit <= 100, "must be an integer from 1 to 100").default(50),
  })
  .strict();

/** A decimal uint256 in JSON: vouchers carry integers as strings (they exceed JavaScript's numbers). */
const uint256String = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, "must be an integer")
  .transform(BigInt)
  .refine((value) => value <= UINT256_MAX, `must be at most ${UINT256_MAX}`);

const relayBody = z
  .object({
    chainId: z.number().int("must be an integer"),
    collection: addressSchema,
    voucher: z
      .object({
        editionId: uint256String,
        to: addressSchema,
        quantity: uint256String,
        nonce: uint256String,
        deadline: uint256String,
      })
      .strict(),
    signature: z.string().regex(/^0x([0-9a-fA-F]{2}){64,65}$/, "must be 0x-prefixed hex"),
  })
  .strict();

/**
 * Vouchers after signing: anyone reads one's state (the redeem page) and asks the platform to redeem it
 * (the relay: it mints only to the voucher's recipient, so no key is needed); the issuer lists an
 * edition's vouchers and cancels one.
 */
export function createVouchersRouter(deps: VouchersRouterDependencies): Router {
  const { db, chain } = deps;
  const { requireIssuer } = createAuthenticator(deps);
  const router = express.Router();

  router.get("/api/collections/:address/vouchers/:nonce", async (request, response) => {
    const { address, nonce } = parseInput(voucherParams, request.params, "params");
    response.json(await getVoucher(deps, { collection: address, nonce }));
  });

  router.get("/api/collections/:address/editions/:editionId/vouchers", requireIssuer, async (request, response) => {
    const { address, editionId } = parseInput(editionParams, request.params, "params");
    const query = parseInput(listQuery, request.query, "query");
    await findIssuerCollection(db, chain.chainId, address, principalOf(response));
    await readEditionFromChain(chain, address, editionId);
    response.json(
      await listVouchers(deps, {
        collection: address,
        editionId,
        limit: query.limit,
        ...(query.state ? { state: query.state } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    );
  });

  router.post("/api/collections/:address/vouchers/:nonce/cancel", requireIssuer, async (request, response) => {
    const { address, nonce } = parseInput(voucherParams, request.params, "params");
    await findIssuerCollection(db, chain.chainId, address, principalOf(response));
    await respondIdempotently(
      deps,
      request,
      response,
      { operation: "POST /api/collections/:address/vouchers/:nonce/cancel", request: { params: { address, nonce } } },
      async () => ({ status: 200, body: await cancelVoucher(deps, { collection: address, nonce }) }),
    );
  });

  router.post("/api/vouchers/redeem", async (request, response) => {
    const body = parseInput(relayBody, request.body ?? {}, "body");
    if (body.chainId !== chain.chainId) {
      throw new VermilionError("VALIDATION_FAILED", { field: "body.chainId", reason: `must be ${chain.chainId}, the platform's chain` });
    }
    response.json(await relayVoucher(deps, { collection: body.collection, voucher: body.voucher, signature: body.signature as `0x${string}` }));
  });

  return router;
}

const writeFailures = {
  429: "RATE_LIMITED, or ISSUER_GAS_BUDGET_EXCEEDED (the issuer's gas budget pays for the transaction)",
  503: "CHAIN_UNAVAILABLE, GAS_FUNDING_EXHAUSTED",
};

/** The routes above, for the OpenAPI document. */
export const vouchersRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/collections/:address/vouchers/:nonce",
    summary:
      "A voucher the platform signed, without its signature: state (open, redeemed, cancelled, void, expired: judged by the chain " +
      "and the index), edition, recipient, quantity, deadline, the serials it would mint now (open), token ids once redeemed",
    auth: "none",
    params: voucherParams,
    responses: { 200: "The voucher", 400: "Malformed address or nonce", 404: "VOUCHER_NOT_FOUND", 503: "CHAIN_UNAVAILABLE" },
  },
  {
    method: "get",
    path: "/api/collections/:address/editions/:editionId/vouchers",
    summary: "An edition's vouchers, newest first: state, recipient, quantity, deadline, redeem link, token ids; ?state= filters, ?cursor= pages (nextCursor)",
    auth: "issuer",
    params: editionParams,
    query: listQuery,
    responses: { 200: "{ vouchers, nextCursor }", 400: "Invalid query (details.field)", 401: "No valid key", 403: "Another issuer's collection", 404: "No such collection or edition" },
  },
  {
    method: "post",
    path: "/api/collections/:address/vouchers/:nonce/cancel",
    summary:
      "Cancel a voucher: cancelVouchers([nonce]) from the collection's operating key; once mined the voucher's supply is free again. " +
      "Idempotency-Key optional (same key and request: the first answer again); cancelling a cancelled voucher answers its cancellation",
    auth: "issuer",
    params: voucherParams,
    headers: optionalIdempotencyHeaders,
    responses: {
      200: "{ state: cancelled, txHash, cancelledAt }",
      400: "Malformed address or nonce",
      401: "No valid key",
      403: "Another issuer's collection",
      404: "VOUCHER_NOT_FOUND",
      409: "VOUCHER_ALREADY_REDEEMED, ISSUER_KEY_REVOKED, IDEMPOTENCY_KEY_REUSED",
      ...writeFailures,
    },
  },
  {
    method: "post",
    path: "/api/vouchers/redeem",
    summary:
      "Relay: the platform redeems a signed voucher for its recipient and pays the gas (from the issuer's budget). Simulated first: " +
      "a voucher the contract would refuse is refused with its reason and nothing is sent. A repeat is refused with VOUCHER_ALREADY_REDEEMED",
    auth: "none",
    body: relayBody,
    responses: {
      200: "{ txHash, tokenIds, recipient, nonce }",
      400: "Invalid field (details.field; chainId must be the platform's)",
      404: "Not a collection of this platform",
      409: "VOUCHER_ALREADY_REDEEMED, VOUCHER_CANCELLED, VOUCHER_SIGNER_NOT_ISSUER, COLLECTION_PAUSED, EDITION_SOLD_OUT, EDITION_SEALED",
      410: "VOUCHER_EXPIRED",
      ...writeFailures,
    },
  },
];
