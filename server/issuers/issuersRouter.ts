import type { Router } from "express";
import type { Address, Hex } from "viem";
import type { AuthenticatorDependencies } from "../auth/authenticate.js";
import type { CreatedIssuerView, CustodyTransferView, IssuerView, WhoAmIView } from "../views/issuerView.js";
import type { CustodyDeps } from "./custody/finishCustodyTransfer.js";

import express from "express";
import { z } from "zod";

import { createAuthenticator, principalOf } from "../auth/authenticate.js";
import { createApiKey } from "../auth/createApiKey.js";
import { VermilionError } from "../errors/VermilionError.js";
import { parseInput } from "../http/parseInput.js";
import { addressSchema } from "../http/pathParameters.js";
import { optionalIdempotencyHeaders, respondIdempotently } from "../idempotency/respondIdempotently.js";
import { takeCustody } from "./custody/takeCustody.js";
import { createIssuer } from "./createIssuer.js";
import { checkDeadline, issuerTypedDataJson, verifyIssuerStatement } from "./registration/issuerTypedData.js";
import type { RouteDoc } from "../http/routeDoc.js";

export type IssuersRouterDependencies = CustodyDeps & {
  /** The verifying contract of the issuers' EIP-712 statements. */
  factoryAddress: Address;
  adminApiKey?: AuthenticatorDependencies["adminApiKey"];
};

const nameSchema = z.string().trim().min(1, "must not be empty").max(200);
/** Unix seconds, as a JSON number or a decimal string (wallets' typed data carries it as a string). */
const deadlineSchema = z
  .union([z.number().int().nonnegative(), z.string().regex(/^[0-9]{1,20}$/)], { error: "must be a unix time in seconds" })
  .transform((value) => BigInt(value));
const signatureSchema = z.string().regex(/^0x([0-9a-fA-F]{2})+$/, "must be 0x-prefixed hex");

const createIssuerBody = z
  .object({
    name: nameSchema,
    /** Self-custody: the issuer's own wallet, with its signature of the IssuerRegistration statement. */
    address: addressSchema.optional(),
    deadline: deadlineSchema.optional(),
    signature: signatureSchema.optional(),
  })
  .strict()
  .superRefine((body, context) => {
    const given = ["address", "deadline", "signature"].filter((field) => body[field as keyof typeof body] !== undefined);
    if (given.length === 0 || given.length === 3) return;
    for (const field of ["address", "deadline", "signature"]) {
      if (!given.includes(field)) context.addIssue({ code: "custom", path: [field], message: "is required for a self-custody issuer (with address, deadline and signature)" });
    }
  });
const registrationQuery = z.object({ name: nameSchema, address: addressSchema, deadline: deadlineSchema });
const custodyQuery = z.object({
  account: addressSchema,
  keepOperatingKey: z.enum(["true", "false"], { error: "must be true or false" }).transform((value) => value === "true"),
  deadline: deadlineSchema,
});
const custodyBody = z
  .object({ account: addressSchema, keepOperatingKey: z.boolean({ error: "must be true or false" }), deadline: deadlineSchema, signature: signatureSchema })
  .strict();
const issuerIdParams = z.object({ issuerId: z.uuid("must be an issuer id (UUID)") });
const keyIdParams = z.object({ keyId: z.uuid("must be a key id (UUID)") });
const createKeyBody = z.object({ label: z.string().max(200).optional() }).strict();

interface IssuerRow {
  issuer_id: string;
  name: string;
  address: string | null;
  custody: "custodial" | "self";
  operating_address: string | null;
  created_at: Date;
}

/**
 * Issuers: the admin registers them (custodial, or self-custody with their wallet's signed statement)
 * and issues and revokes their API keys (returned once); an issuer reads who it is and takes custody.
 */
export function createIssuersRouter(deps: IssuersRouterDependencies): Router {
  const { db, chain } = deps;
  const { requireAdmin, requireIssuer } = createAuthenticator(deps);
  const router = express.Router();
  const domain = { chainId: chain.chainId, factoryAddress: deps.factoryAddress };

  // The statement a wallet signs to be registered as a self-custody issuer; public, it carries no secret.
  router.get("/api/issuers/registration-typed-data", (request, response) => {
    const query = parseInput(registrationQuery, request.query, "query");
    checkDeadline({ statement: "IssuerRegistration", deadline: query.deadline, field: "query.deadline" });
    response.json(issuerTypedDataJson(domain, "IssuerRegistration", { name: query.name, account: query.address as Address, deadline: query.deadline }));
  });

  // Who a key acts as: the issuer console signs in with a key and needs its issuer to list its collections.
  router.get("/api/issuers/me", requireIssuer, async (_request, response) => {
    const principal = principalOf(response);
    if (principal.kind === "admin") {
      response.json({ kind: "admin", issuerId: null, name: null, address: null, custody: null, operatingAddress: null } satisfies WhoAmIView);
      return;
    }
    const { rows } = await db.query<IssuerRow>("SELECT name, address, custody, operating_address FROM issuers WHERE issuer_id = $1", [
      principal.issuerId,
    ]);
    const issuer = rows[0];
    response.json({
      kind: "issuer",
      issuerId: principal.issuerId,
      name: issuer?.name ?? null,
      address: issuer?.address ?? null,
      custody: issuer?.custody ?? null,
      operatingAddress: issuer?.operating_address ?? null,
    } satisfies WhoAmIView);
  });

  router.post("/api/issuers", requireAdmin, async (request, response) => {
    const body = parseInput(createIssuerBody, request.body ?? {}, "body");
    // The answer holds the issuer's first API key: sealed under the Idempotency-Key (runIdempotently).
    const identity = { operation: "POST /api/issuers", request: { body }, sealAnswer: true };
    await respondIdempotently(deps, request, response, identity, async () => {
      if (body.address !== undefined) {
        // Nobody names an address as an issuer without that address's signature.
        await verifyIssuerStatement(
          { publicClient: chain.publicClient },
          {
            domain,
            primaryType: "IssuerRegistration",
            message: { name: body.name, account: body.address as Address, deadline: body.deadline! },
            signature: body.signature as Hex,
            deadlineField: "body.deadline",
          },
        );
      }
      const created = await createIssuer(
        { db, issuerKeyring: deps.issuerKeyring, platformAddress: chain.walletClient.account.address },
        { name: body.name, ...(body.address !== undefined ? { selfCustodyAddress: body.address as Address } : {}) },
      );
      return { status: 201, body: created satisfies CreatedIssuerView };
    });
  });

  router.get("/api/issuers", requireAdmin, async (_request, response) => {
    const { rows } = await db.query<IssuerRow>(
      "SELECT issuer_id, name, address, custody, operating_address, created_at FROM issuers ORDER BY created_at, issuer_id",
    );
    response.json({
      issuers: rows.map(
        (row): IssuerView => ({
          issuerId: row.issuer_id,
          name: row.name,
          address: row.address,
          custody: row.custody,
          operatingAddress: row.operating_address,
          createdAt: row.created_at.toISOString(),
        }),
      ),
    });
  });

  // The statement an issuer's wallet signs to take custody of the issuer's collections.
  router.get("/api/issuers/me/custody-typed-data", requireIssuer, async (request, response) => {
    const principal = principalOf(response);
    if (principal.kind !== "issuer") throw new VermilionError("FORBIDDEN", { resource: "an issuer's custody (use the issuer's key)" });
    const query = parseInput(custodyQuery, request.query, "query");
    checkDeadline({ statement: "IssuerCustodyTransfer", deadline: query.deadline, field: "query.deadline" });
    const { rows } = await db.query<IssuerRow>("SELECT custody, address FROM issuers WHERE issuer_id = $1", [principal.issuerId]);
    if (rows[0]?.custody === "self") throw new VermilionError("CUSTODY_ALREADY_SELF", { issuerId: principal.issuerId, address: rows[0].address });
    response.json(
      issuerTypedDataJson(domain, "IssuerCustodyTransfer", {
        issuerId: principal.issuerId,
        account: query.account as Address,
        keepOperatingKey: query.keepOperatingKey,
        deadline: query.deadline,
      }),
    );
  });

  router.post("/api/issuers/me/custody", requireIssuer, async (request, response) => {
    const principal = principalOf(response);
    if (principal.kind !== "issuer") throw new VermilionError("FORBIDDEN", { resource: "an issuer's custody (use the issuer's key)" });
    const body = parseInput(custodyBody, request.body ?? {}, "body");
    await respondIdempotently(deps, request, response, { operation: "POST /api/issuers/me/custody", request: { body } }, async () => {
      const transferred = await takeCustody(deps, {
        issuerId: principal.issuerId,
        account: body.account as Address,
        keepOperatingKey: body.keepOperatingKey,
        deadline: body.deadline,
        signature: body.signature as Hex,
      });
      return { status: 200, body: transferred satisfies CustodyTransferView };
    });
  });

  router.post("/api/issuers/:issuerId/keys", requireAdmin, async (request, response) => {
    const { issuerId } = parseInput(issuerIdParams, request.params, "params");
    const body = parseInput(createKeyBody, request.body ?? {}, "body");
    const { rows } = await db.query("SELECT 1 FROM issuers WHERE issuer_id = $1", [issuerId]);
    if (rows.length === 0) throw new VermilionError("NOT_FOUND", { resource: `issuer ${issuerId}` });
    // The answer is the new key itself: sealed under the Idempotency-Key (runIdempotently).
    const identity = { operation: "POST /api/issuers/:issuerId/keys", request: { params: { issuerId }, body }, sealAnswer: true };
    await respondIdempotently(deps, request, response, identity, async () => ({
      status: 201,
      body: await createApiKey(db, { issuerId, label: body.label ?? "" }),
    }));
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
    summary:
      "Register an issuer; returns its first API key, once, with its address, custody and operatingAddress. { name }: custodial (the platform derives its admin key); { name, address, deadline, signature }: self-custody, signed by address (IssuerRegistration, EIP-712)",
    auth: "admin",
    headers: optionalIdempotencyHeaders,
    body: createIssuerBody,
    responses: {
      201:
        "The issuer and its API key; a retry with the same Idempotency-Key (at least 16 characters here: the stored answer is encrypted under it) gets this answer again, not a second issuer",
      400: "Invalid body (VALIDATION_FAILED), expired statement (ISSUER_SIGNATURE_EXPIRED) or a signature not by address (ISSUER_SIGNATURE_INVALID)",
      401: "No valid key",
      403: "Not an admin key",
      409: "The address is already an issuer's or the platform's key (ISSUER_ADDRESS_TAKEN); IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_REQUEST_IN_PROGRESS",
    },
  },
  {
    method: "get",
    path: "/api/issuers/registration-typed-data",
    summary: "The EIP-712 IssuerRegistration statement a wallet signs to register as a self-custody issuer ({ domain, types, primaryType, message }, integers as decimal strings)",
    auth: "none",
    query: registrationQuery,
    responses: { 200: "The typed data", 400: "Invalid query, or a deadline already past (ISSUER_SIGNATURE_EXPIRED)" },
  },
  {
    method: "get",
    path: "/api/issuers/me",
    summary: "Who the presented key acts as: { kind: admin | issuer, issuerId, name, address, custody, operatingAddress } (nulls for an admin)",
    auth: "issuer",
    responses: { 200: "The key's principal", 401: "No valid key" },
  },
  {
    method: "get",
    path: "/api/issuers",
    summary: "List issuers, each with address, custody and operatingAddress",
    auth: "admin",
    responses: { 200: "Issuers", 401: "No valid key", 403: "Not an admin key" },
  },
  {
    method: "get",
    path: "/api/issuers/me/custody-typed-data",
    summary: "The EIP-712 IssuerCustodyTransfer statement the issuer's wallet signs to take custody of the issuer's collections",
    auth: "issuer",
    query: custodyQuery,
    responses: {
      200: "The typed data",
      400: "Invalid query",
      401: "No valid key",
      403: "An admin key (custody is an issuer's)",
      409: "The issuer already holds custody (CUSTODY_ALREADY_SELF)",
    },
  },
  {
    method: "post",
    path: "/api/issuers/me/custody",
    summary:
      "Take custody: the signed statement's account becomes admin of every collection of the issuer, the custodial admin key renounces, the operating key keeps the issuing role iff keepOperatingKey. Idempotent: the same statement again finishes an interrupted transfer",
    auth: "issuer",
    headers: optionalIdempotencyHeaders,
    body: custodyBody,
    responses: {
      200: "The issuer in custody 'self' and its collections",
      400: "Invalid body, expired statement (ISSUER_SIGNATURE_EXPIRED) or a signature not by account (ISSUER_SIGNATURE_INVALID)",
      401: "No valid key",
      403: "An admin key",
      409:
        "Already in custody (CUSTODY_ALREADY_SELF) or the account is already a key of an issuer or the platform (ISSUER_ADDRESS_TAKEN); IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_REQUEST_IN_PROGRESS",
      429: "The issuer's gas budget is spent (ISSUER_GAS_BUDGET_EXCEEDED); the transfer stays recorded",
      503: "Chain unavailable; the transfer stays recorded and finishes on retry or restart",
    },
  },
  {
    method: "post",
    path: "/api/issuers/:issuerId/keys",
    summary: "Issue another API key for an issuer; returned once",
    auth: "admin",
    params: issuerIdParams,
    headers: optionalIdempotencyHeaders,
    body: createKeyBody,
    responses: {
      201: "The key; a retry with the same Idempotency-Key (at least 16 characters here: the stored answer is encrypted under it) gets this key again, not a second one",
      400: "Invalid input",
      401: "No valid key",
      403: "Not an admin key",
      404: "No such issuer",
      409: "IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_REQUEST_IN_PROGRESS",
    },
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
