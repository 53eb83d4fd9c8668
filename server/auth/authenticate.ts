import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Queryable } from "../db/Database.js";

import { timingSafeEqual } from "node:crypto";

import { VermilionError } from "../errors/VermilionError.js";
import { hashApiKey } from "./createApiKey.js";

/** Who a request acts as. */
export type Principal = { kind: "admin" } | { kind: "issuer"; issuerId: string };

export interface AuthenticatorDependencies {
  db: Queryable;
  /** ADMIN_API_KEY from the environment, accepted as an admin key (automation). */
  adminApiKey?: string | undefined;
}

function bearerKey(request: Request): string | undefined {
  const header = request.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The principal a route's `requireAdmin`/`requireIssuer` resolved. */
export function principalOf(response: Response): Principal {
  const principal = response.locals.principal as Principal | undefined;
  if (!principal) throw new VermilionError("UNAUTHENTICATED");
  return principal;
}

/** Middlewares resolving `Authorization: Bearer <key>` against the stored key hashes. */
export function createAuthenticator(deps: AuthenticatorDependencies): {
  requireAdmin: RequestHandler;
  requireIssuer: RequestHandler;
} {
  async function resolve(request: Request): Promise<Principal> {
    const key = bearerKey(request);
    if (!key) throw new VermilionError("UNAUTHENTICATED");
    if (deps.adminApiKey && sameSecret(key, deps.adminApiKey)) return { kind: "admin" };
    const { rows } = await deps.db.query<{ issuer_id: string | null }>(
      "SELECT issuer_id FROM api_keys WHERE key_sha256 = $1 AND revoked_at IS NULL",
      [hashApiKey(key)],
    );
    const row = rows[0];
    if (!row) throw new VermilionError("UNAUTHENTICATED");
    return row.issuer_id === null ? { kind: "admin" } : { kind: "issuer", issuerId: row.issuer_id };
  }

  return {
    requireAdmin: async (request: Request, response: Response, next: NextFunction) => {
      const principal = await resolve(request);
      if (principal.kind !== "admin") throw new VermilionError("FORBIDDEN", { resource: "admin routes" });
      response.locals.principal = principal;
      next();
    },
    requireIssuer: async (request: Request, response: Response, next: NextFunction) => {
      response.locals.principal = await resolve(request);
      next();
    },
  };
}
