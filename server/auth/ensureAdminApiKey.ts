import type { Database } from "../db/Database.js";

import { createApiKey } from "./createApiKey.js";

/**
 * On first run, creates the admin API key and returns it (to print once); afterwards returns
 * undefined. An advisory lock keeps two instances starting together from both creating one.
 */
export async function ensureAdminApiKey(db: Database): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [0x61646d6e]);
    const { rows } = await tx.query("SELECT 1 FROM api_keys WHERE issuer_id IS NULL AND label = 'bootstrap admin'");
    if (rows.length > 0) return undefined;
    const { apiKey } = await createApiKey(tx, { issuerId: null, label: "bootstrap admin" });
    return apiKey;
  });
}
