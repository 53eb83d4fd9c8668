import type { Queryable } from "../db/Database.js";

import { createHash, randomBytes } from "node:crypto";

export interface CreateApiKeyParameters {
  /** The issuer the key acts for; null for an admin key. */
  issuerId: string | null;
  label?: string;
}

export interface CreateApiKeyReturnType {
  keyId: string;
  /** The key itself: returned once, stored only as its SHA-256. */
  apiKey: string;
}

/** The stored form of a key. Keys are 256-bit random, so a plain SHA-256 is enough (no password stretching). */
export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex");
}

/** Creates an API key and stores its hash. */
export async function createApiKey(
  db: Queryable,
  parameters: CreateApiKeyParameters,
): Promise<CreateApiKeyReturnType> {
  const apiKey = `vmn_${randomBytes(32).toString("base64url")}`;
  const { rows } = await db.query<{ key_id: string }>(
    "INSERT INTO api_keys (issuer_id, key_sha256, label) VALUES ($1, $2, $3) RETURNING key_id",
    [parameters.issuerId, hashApiKey(apiKey), parameters.label ?? ""],
  );
  return { keyId: rows[0]!.key_id, apiKey };
}
