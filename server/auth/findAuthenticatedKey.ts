import type { Queryable } from "../db/Database.js";

import { timingSafeEqual } from "node:crypto";

import { hashApiKey } from "./createApiKey.js";

/** Who a request acts as. */
export type Principal = { kind: "admin" } | { kind: "issuer"; issuerId: string };

export interface AuthenticatorDependencies {
  db: Queryable;
  /** ADMIN_API_KEY from the environment, accepted as an admin key (automation). */
  adminApiKey?: string | undefined;
}

/** A valid key: who it acts as, and what names it in a limit's bucket (never the key or its header text). */
export interface AuthenticatedKey {
  principal: Principal;
  /** `admin-env` for ADMIN_API_KEY, the stored key's id otherwise. */
  keyId: string;
}

/**
 * The key of an `Authorization: Bearer <key>` header, read tolerantly: the scheme in any case, any
 * whitespace around and between, so `bearer KEY` and `Bearer  KEY` are one key.
 */
export function bearerKeyOf(header: string | undefined): string | undefined {
  const match = header?.match(/^\s*Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The admin key from the environment, or a stored key not revoked; undefined for any other key. */
export async function findAuthenticatedKey(deps: AuthenticatorDependencies, key: string): Promise<AuthenticatedKey | undefined> {
  if (deps.adminApiKey && sameSecret(key, deps.adminApiKey)) return { principal: { kind: "admin" }, keyId: "admin-env" };
  const { rows } = await deps.db.query<{ key_id: string; issuer_id: string | null }>(
    "SELECT key_id, issuer_id FROM api_keys WHERE key_sha256 = $1 AND revoked_at IS NULL",
    [hashApiKey(key)],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    principal: row.issuer_id === null ? { kind: "admin" } : { kind: "issuer", issuerId: row.issuer_id },
    keyId: row.key_id,
  };
}
