import type { Router } from "express";
import type { AuthenticatorDependencies } from "../auth/authenticate.js";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLocks } from "../cluster/createWriteLock.js";
import type { Database } from "../db/Database.js";
import type { GasFunder } from "../gas/createGasFunder.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";

import express from "express";
import { z } from "zod";

import { createAuthenticator, principalOf } from "../auth/authenticate.js";
import { sendCollectionTransaction } from "../issuers/accounts/sendCollectionTransaction.js";
import { addressSchema, collectionParams, editionParams } from "../http/pathParameters.js";
import { findIssuerCollection } from "../collections/findIssuerCollection.js";
import { parseInput } from "../http/parseInput.js";
import { issueVoucher } from "./issueVoucher.js";
import { readEditionFromChain } from "../chain/readEditionFromChain.js";
import { optionalIdempotencyHeaders, respondIdempotently } from "../idempotency/respondIdempotently.js";
import { buildVoucherLink } from "../vouchers/voucherLink.js";
import type { RouteDoc } from "../http/routeDoc.js";
import type { IssuedVoucherView } from "../views/voucherView.js";

export interface EditionAdminRouterDependencies {
  db: Database;
  chain: ChainClients;
  /** Each collection's own keys send its writes (`findCollectionSigner`): operating key, custodial admin key. */
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
  gasFunder: GasFunder;
  adminApiKey?: AuthenticatorDependencies["adminApiKey"];
}


const MAX_VOUCHER_LIFETIME_SECONDS = 365 * 24 * 3600;

const voucherBody = z
  .object({
    to: addressSchema,
    quantity: z.number().int("must be an integer").min(1, "must be at least 1").max(1_000),
    /** Seconds from now until the voucher expires. */
    validForSeconds: z
      .number()
      .int("must be an integer")
      .min(60, "must be at least 60")
      .max(MAX_VOUCHER_LIFETIME_SECONDS, `must be at most ${MAX_VOUCHER_LIFETIME_SECONDS}`)
      .default(7 * 24 * 3600),
  })
  .strict();

/**
 * Issuer actions on a collection and its editions that map one-to-one to the contract: freeze an
 * edition's metadata, close an edition, pause and unpause the collection, and sign vouchers. Editions
 * and vouchers go through the collection's operating key, pause through its admin key (refused with
 * ADMIN_IN_ISSUER_WALLET when that is the issuer's own wallet: it pauses from there).
 */
export function createEditionAdminRouter(deps: EditionAdminRouterDependencies): Router {
  const { db, chain } = deps;
  const { requireIssuer } = createAuthenticator(deps);
  const router = express.Router();

  const editionAction = (path: string, functionName: "freezeEditionMetadata" | "closeEdition") =>
    router.post(path, requireIssuer, async (request, response) => {
      const { address, editionId } = parseInput(editionParams, request.params, "params");
      await findIssuerCollection(db, chain.chainId, address, principalOf(response));
      await respondIdempotently(deps, request, response, { operation: `POST ${path}`, request: { params: { address, editionId } } }, async () => {
        await readEditionFromChain(chain, address, editionId);
        const { txHash } = await sendCollectionTransaction(deps, {
          collection: address,
          functionName,
          args: [editionId],
          editionId,
        });
        return { status: 200, body: { collection: address, editionId: editionId.toString(), txHash } };
      });
    });
  editionAction("/api/collections/:address/editions/:editionId/freeze", "freezeEditionMetadata");
  editionAction("/api/collections/:address/editions/:editionId/close", "closeEdition");

  const pauseAction = (path: string, functionName: "pause" | "unpause") =>
    router.post(path, requireIssuer, async (request, response) => {
      const { address } = parseInput(collectionParams, request.params, "params");
      await findIssuerCollection(db, chain.chainId, address, principalOf(response));
      await respondIdempotently(deps, request, response, { operation: `POST ${path}`, request: { params: { address } } }, async () => {
        const { txHash } = await sendCollectionTransaction(deps, { collection: address, functionName, args: [] });
        return { status: 200, body: { collection: address, paused: functionName === "pause", txHash } };
      });
    });
  pauseAction("/api/collections/:address/pause", "pause");
  pauseAction("/api/collections/:address/unpause", "unpause");

  router.post("/api/collections/:address/editions/:editionId/vouchers", requireIssuer, async (request, response) => {
    const { address, editionId } = parseInput(editionParams, request.params, "params");
    const body = parseInput(voucherBody, request.body ?? {}, "body");
    const { issuerId } = await findIssuerCollection(db, chain.chainId, address, principalOf(response));
    await respondIdempotently(
      deps,
      request,
      response,
      { operation: "POST /api/collections/:address/editions/:editionId/vouchers", request: { params: { address, editionId }, body } },
      async () => {
        const { voucher, digest, signature } = await issueVoucher(deps, {
          issuerId,
          collection: address,
          editionId,
          to: body.to,
          quantity: body.quantity,
          validForSeconds: body.validForSeconds,
        });
        const fields = {
          editionId: voucher.editionId.toString(),
          to: voucher.to,
          quantity: voucher.quantity.toString(),
          nonce: voucher.nonce.toString(),
          deadline: voucher.deadline.toString(),
        };
        const issued: IssuedVoucherView = {
          collection: address,
          chainId: chain.chainId,
          voucher: fields,
          digest,
          signature,
          link: buildVoucherLink({ chainId: chain.chainId, collection: address, ...fields, signature }),
        };
        return { status: 201, body: issued };
      },
    );
  });

  return router;
}

const editionActionResponses = {
  200: "Done: { txHash }; a retry with the same Idempotency-Key gets this answer again, with Idempotent-Replayed: true",
  400: "Invalid input",
  401: "No valid key",
  403: "Another issuer's collection",
  404: "No such collection or edition",
  409: "Refused by the contract's state (METADATA_FROZEN, EDITION_SEALED, …), ISSUER_KEY_REVOKED (the collection's admin took the issuing role from its operating key), ADMIN_IN_ISSUER_WALLET (pause: the admin is the issuer's own wallet); IDEMPOTENCY_KEY_REUSED (the Idempotency-Key was used for another request) or IDEMPOTENCY_REQUEST_IN_PROGRESS (its first request is still running)",
  429: "ISSUER_GAS_BUDGET_EXCEEDED",
  503: "CHAIN_UNAVAILABLE, GAS_FUNDING_EXHAUSTED",
};

/** The routes above, for the OpenAPI document. */
export const editionAdminRouteDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/api/collections/:address/editions/:editionId/freeze",
    summary: "Freeze an edition's metadata forever",
    auth: "issuer",
    params: editionParams,
    headers: optionalIdempotencyHeaders,
    responses: editionActionResponses,
  },
  {
    method: "post",
    path: "/api/collections/:address/editions/:editionId/close",
    summary: "Seal an edition before its max supply",
    auth: "issuer",
    params: editionParams,
    headers: optionalIdempotencyHeaders,
    responses: editionActionResponses,
  },
  { method: "post", path: "/api/collections/:address/pause", summary: "Pause minting and transfers", auth: "issuer", params: collectionParams, headers: optionalIdempotencyHeaders, responses: editionActionResponses },
  { method: "post", path: "/api/collections/:address/unpause", summary: "Resume minting and transfers", auth: "issuer", params: collectionParams, headers: optionalIdempotencyHeaders, responses: editionActionResponses },
  {
    method: "post",
    path: "/api/collections/:address/editions/:editionId/vouchers",
    summary: "Sign an EIP-712 voucher a collector (or anyone for them) can redeem on-chain; it holds its quantity of the supply until redeemed, expired or cancelled. Idempotency-Key optional: a retry with the same key and body answers the first voucher",
    auth: "issuer",
    params: editionParams,
    headers: optionalIdempotencyHeaders,
    body: voucherBody,
    responses: {
      ...editionActionResponses,
      201: "The voucher, its signature and `link` (/redeem?chain=…&collection=…&editionId=…&to=…&quantity=…&nonce=…&deadline=…&signature=…, the redeem page's URL)",
      409: "EDITION_SOLD_OUT, EDITION_SEALED, ISSUER_KEY_REVOKED, IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_REQUEST_IN_PROGRESS",
    },
  },
];
