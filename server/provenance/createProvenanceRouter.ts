import type { ErrorRequestHandler, Request } from "express";
import type { ProvenanceDeps } from "./ProvenanceDeps.js";

import { Router } from "express";
import { z } from "zod";

import { VermilionError, isVermilionError } from "../errors/VermilionError.js";
import { getEditionTokens } from "./getEditionTokens.js";
import { getOwnerTokens } from "./getOwnerTokens.js";
import { getToken } from "./getToken.js";
import { getTokenProvenance } from "./getTokenProvenance.js";
import { search } from "./search.js";

export type CreateProvenanceRouterParameters = ProvenanceDeps;

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address")
  .transform((value) => value.toLowerCase());
const uint64 = z
  .string()
  .regex(/^\d{1,19}$/, "expected a decimal integer")
  .transform((value) => BigInt(value))
  .refine((value) => value <= 2n ** 63n - 1n, "too large");
const limit = z.coerce.number().int().min(1).max(200).optional();
const cursor = z.string().max(200).optional();

/** Parses `input` with `schema`; the first problem becomes VALIDATION_FAILED naming its field. */
function parse<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new VermilionError("VALIDATION_FAILED", {
    field: issue?.path.join(".") || "request",
    reason: issue?.message ?? "invalid",
  });
}

function localeOf(request: Request): "en" | "zh-CN" {
  return /^zh\b/i.test(request.get("accept-language") ?? "") ? "zh-CN" : "en";
}

/** Errors as `{ error: { code, message, details } }` with the catalogue's status; anything unknown is INTERNAL. */
export const provenanceErrorHandler: ErrorRequestHandler = (caught, request, response, _next) => {
  const error = isVermilionError(caught) ? caught : new VermilionError("INTERNAL", {}, { cause: caught });
  response.status(error.status).json({ error: { code: error.code, message: error.messageIn(localeOf(request)), details: error.details } });
};

/**
 * The collector-facing provenance API over the index: thin routes that parse with zod, call an action
 * and send its result (each carries `indexedBlock`, so a client knows how fresh it is).
 */
export function createProvenanceRouter(deps: CreateProvenanceRouterParameters): Router {
  const router = Router();
  const tokenParams = z.object({ address, tokenId: uint64 });

  router.get("/api/tokens/:address/:tokenId", async (request, response) => {
    const { address: collection, tokenId } = parse(tokenParams, request.params);
    response.json(await getToken(deps, { collection, tokenId }));
  });

  router.get("/api/tokens/:address/:tokenId/provenance", async (request, response) => {
    const { address: collection, tokenId } = parse(tokenParams, request.params);
    response.json(await getTokenProvenance(deps, { collection, tokenId }));
  });

  router.get("/api/owners/:owner/tokens", async (request, response) => {
    const { owner } = parse(z.object({ owner: address }), request.params);
    const query = parse(z.object({ limit, cursor }), request.query);
    response.json(await getOwnerTokens(deps, { owner, ...query }));
  });

  router.get("/api/collections/:address/editions/:editionId/tokens", async (request, response) => {
    const { address: collection, editionId } = parse(z.object({ address, editionId: uint64 }), request.params);
    const query = parse(z.object({ limit, cursor }), request.query);
    response.json(await getEditionTokens(deps, { collection, editionId, ...query }));
  });

  router.get("/api/search", async (request, response) => {
    const { q } = parse(z.object({ q: z.string().min(1).max(200) }), request.query);
    response.json(await search(deps, { q }));
  });

  router.use(provenanceErrorHandler);
  return router;
}
