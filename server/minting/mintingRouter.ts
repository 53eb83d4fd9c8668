import type { Router } from "express";
import type { Address } from "viem";
import type { AuthenticatorDependencies } from "../auth/authenticate.js";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLocks } from "../cluster/createWriteLock.js";
import type { Database } from "../db/Database.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import type { RouteDoc } from "../http/routeDoc.js";
import type { MintRequest } from "./submitMintJob.js";

import express from "express";
import { z } from "zod";

import { createAuthenticator, principalOf } from "../auth/authenticate.js";
import { addressSchema, editionParams } from "../http/pathParameters.js";
import { findIssuerCollection } from "../collections/findIssuerCollection.js";
import { VermilionError } from "../errors/VermilionError.js";
import { parseInput } from "../http/parseInput.js";
import { getMintJob } from "./getMintJob.js";
import { JOB_KINDS, JOB_STATES, listJobs } from "./listJobs.js";
import { submitMintJob } from "./submitMintJob.js";

export interface MintingRouterDependencies {
  db: Database;
  chain: ChainClients;
  /** Which key sends a collection's mints (`findCollectionSigner`). */
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
  adminApiKey?: AuthenticatorDependencies["adminApiKey"];
  /** Called after a job is accepted, to wake the sender of its key. */
  onJobAccepted: (job: { sender: Address }) => void;
}

const MAX_AIRDROP_RECIPIENTS = 20_000;

const mintBody = z.union([
  z
    .object({
      to: addressSchema,
      quantity: z.number().int("must be an integer").min(1, "must be at least 1").max(999_999),
    })
    .strict(),
  z
    .object({
      recipients: z
        .array(addressSchema)
        .min(1, "must list at least one address")
        .max(MAX_AIRDROP_RECIPIENTS, `must list at most ${MAX_AIRDROP_RECIPIENTS} addresses`),
    })
    .strict(),
]);

const idempotencyHeaders = z.object({
  "idempotency-key": z
    .string({ error: "is required" })
    .min(1, "is required")
    .max(255, "must be at most 255 characters"),
});

const jobParams = z.object({ jobId: z.uuid("must be a job id (UUID)") });

const jobListQuery = z
  .object({
    state: z.enum(JOB_STATES, { error: "must be queued, building, sending, completed or failed" }).optional(),
    kind: z.enum(JOB_KINDS, { error: "must be mint, airdrop or edition" }).optional(),
    cursor: z.string().max(200).optional(),
    limit: z
      .string()
      .regex(/^[0-9]{1,3}$/, "must be an integer from 1 to 100")
      .transform(Number)
      .refine((limit) => limit >= 1 && limit <= 100, "must be an integer from 1 to 100")
      .default(20),
    /** An admin key lists one issuer's jobs with it (every issuer's without); an issuer key only its own. */
    issuerId: z.uuid("must be an issuer id (UUID)").optional(),
  })
  .strict();

/** Issuers submit mint and airdrop jobs (202 + job id) and follow them. */
export function createMintingRouter(deps: MintingRouterDependencies): Router {
  const { db } = deps;
  const { requireIssuer } = createAuthenticator(deps);
  const router = express.Router();

  router.post("/api/collections/:address/editions/:editionId/mint", requireIssuer, async (request, response) => {
    const { address, editionId } = parseInput(editionParams, request.params, "params");
    const { "idempotency-key": idempotencyKey } = parseInput(
      idempotencyHeaders,
      { "idempotency-key": request.get("idempotency-key") },
      "headers",
    );
    const body = parseInput(mintBody, request.body ?? {}, "body");
    const collection = await findIssuerCollection(db, deps.chain.chainId, address, principalOf(response));
    const mintRequest: MintRequest =
      "to" in body ? { kind: "mint", to: body.to, quantity: body.quantity } : { kind: "airdrop", recipients: body.recipients };
    const job = await submitMintJob(deps, {
      issuerId: collection.issuerId,
      collection: address,
      editionId,
      idempotencyKey,
      request: mintRequest,
    });
    deps.onJobAccepted({ sender: job.sender });
    response.status(202).location(`/api/jobs/${job.jobId}`).json({ jobId: job.jobId, created: job.created });
  });

  router.get("/api/jobs", requireIssuer, async (request, response) => {
    const query = parseInput(jobListQuery, request.query, "query");
    const principal = principalOf(response);
    if (principal.kind === "issuer" && query.issuerId !== undefined && query.issuerId !== principal.issuerId) {
      throw new VermilionError("FORBIDDEN", { resource: `issuer ${query.issuerId}'s jobs` });
    }
    response.json(
      await listJobs(deps, {
        chainId: deps.chain.chainId,
        issuerId: principal.kind === "issuer" ? principal.issuerId : query.issuerId,
        limit: query.limit,
        ...(query.state ? { state: query.state } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      }),
    );
  });

  router.get("/api/jobs/:jobId", requireIssuer, async (request, response) => {
    const { jobId } = parseInput(jobParams, request.params, "params");
    const job = await getMintJob(db, jobId);
    const principal = principalOf(response);
    if (principal.kind === "issuer" && principal.issuerId !== job.issuerId) {
      throw new VermilionError("NOT_FOUND", { resource: `job ${jobId}` });
    }
    response.json(job);
  });

  return router;
}

/** The routes above, for the OpenAPI document. */
export const mintingRouteDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/api/collections/:address/editions/:editionId/mint",
    summary: "Mint to one address ({ to, quantity }) or airdrop ({ recipients }) as a durable job",
    auth: "issuer",
    params: editionParams,
    headers: idempotencyHeaders,
    body: mintBody,
    responses: {
      202: "Accepted: { jobId, created }; a repeated Idempotency-Key returns the same job",
      400: "Invalid input",
      401: "No valid key",
      403: "Another issuer's collection",
      404: "No such collection or edition",
      409: "EDITION_SOLD_OUT, EDITION_SEALED, IDEMPOTENCY_KEY_REUSED, or ISSUER_KEY_REVOKED (the collection's operating key no longer holds the issuing role)",
    },
  },
  {
    method: "get",
    path: "/api/jobs",
    summary:
      "The issuer's jobs, newest first: mint and airdrop jobs and edition jobs (`kind`), each with state, progress { done, total, unit }, error, " +
      "waiting { code, since } and location; { jobs, nextCursor } (pass nextCursor as cursor for the next page; null on the last)",
    auth: "issuer",
    query: jobListQuery,
    responses: {
      200: "A page of jobs",
      400: "Invalid query (details.field), e.g. a cursor this API did not return",
      401: "No valid key",
      403: "An issuer key naming another issuer",
    },
  },
  {
    method: "get",
    path: "/api/jobs/:jobId",
    summary: "A mint job: state, progress, transactions, token ids, error, its sending key, and what it waits on (`waiting`: ISSUER_KEY_REVOKED, ISSUER_GAS_BUDGET_EXCEEDED, …)",
    auth: "issuer",
    params: jobParams,
    responses: { 200: "The job", 400: "Malformed job id", 401: "No valid key", 404: "No such job" },
  },
];
