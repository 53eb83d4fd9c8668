import type { Database } from "../db/Database.js";

import { createApiKey } from "../auth/createApiKey.js";

export interface CreateIssuerParameters {
  name: string;
}

export interface CreateIssuerReturnType {
  issuerId: string;
  name: string;
  keyId: string;
  /** Shown once; only its hash is stored. */
  apiKey: string;
}

/** Registers an issuer with its first API key, in one transaction. */
export async function createIssuer(db: Database, parameters: CreateIssuerParameters): Promise<CreateIssuerReturnType> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ issuer_id: string }>(
      "INSERT INTO issuers (name) VALUES ($1) RETURNING issuer_id",
      [parameters.name],
    );
    const issuerId = rows[0]!.issuer_id;
    const { keyId, apiKey } = await createApiKey(tx, { issuerId, label: "initial" });
    return { issuerId, name: parameters.name, keyId, apiKey };
  });
}
