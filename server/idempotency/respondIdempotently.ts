import type { Request, Response } from "express";
import type { Principal } from "../auth/authenticate.js";
import type { Database } from "../db/Database.js";
import type { IdempotentAnswer } from "./runIdempotently.js";

import { z } from "zod";

import { principalOf } from "../auth/authenticate.js";
import { VermilionError } from "../errors/VermilionError.js";
import { parseInput } from "../http/parseInput.js";
import { runIdempotently } from "./runIdempotently.js";

/** The optional Idempotency-Key header of every issuer write (mints require it: mintingRouter). */
export const optionalIdempotencyHeaders = z.object({
  "idempotency-key": z.string().min(1, "must not be empty").max(255, "must be at most 255 characters").optional(),
});

/** Who a key belongs to: keys are scoped per issuer, and the platform's admin keys share one scope. */
export function idempotencyPrincipal(principal: Principal): string {
  return principal.kind === "issuer" ? `issuer:${principal.issuerId}` : "admin";
}

/** The request's Idempotency-Key, or undefined; a malformed one is a 400 naming `headers.idempotency-key`. */
export function idempotencyKeyOf(request: Request): string | undefined {
  return parseInput(optionalIdempotencyHeaders, { "idempotency-key": request.get("idempotency-key") }, "headers")["idempotency-key"];
}

/** A key guessable from a short list would open a sealed answer (a new API key) to a reader of the database. */
const MIN_SEALING_KEY_LENGTH = 16;

/**
 * Answers an authenticated issuer write through `runIdempotently`: the first answer for the request's
 * Idempotency-Key is sent again to every retry, marked `Idempotent-Replayed: true`, with its Location
 * header when the answer names one (`location`, e.g. a 202 job's).
 * `identity` is what the answer depends on besides the caller (path parameters and body, or for an
 * upload the fields and the files' digests); `sealAnswer` for an answer holding a secret, whose key
 * must then be at least 16 characters (see RunIdempotentlyParameters.sealAnswer).
 */
export async function respondIdempotently(
  deps: { db: Database },
  request: Request,
  response: Response,
  identity: { operation: string; request: unknown; sealAnswer?: boolean },
  execute: () => Promise<IdempotentAnswer>,
): Promise<void> {
  const idempotencyKey = idempotencyKeyOf(request);
  if (identity.sealAnswer && idempotencyKey !== undefined && idempotencyKey.length < MIN_SEALING_KEY_LENGTH) {
    throw new VermilionError("VALIDATION_FAILED", {
      field: "headers.idempotency-key",
      reason: `must be at least ${MIN_SEALING_KEY_LENGTH} characters on a route whose answer holds a secret (a random UUID will do)`,
    });
  }
  const result = await runIdempotently(
    deps,
    {
      principal: idempotencyPrincipal(principalOf(response)),
      idempotencyKey,
      operation: identity.operation,
      request: identity.request,
      ...(identity.sealAnswer ? { sealAnswer: true } : {}),
    },
    execute,
  );
  if (result.replayed) response.setHeader("Idempotent-Replayed", "true");
  const location = (result.body as { location?: unknown } | null)?.location;
  if (typeof location === "string") response.location(location);
  response.status(result.status).json(result.body);
}
