import type { Address } from "viem";
import type { Config } from "../config/loadConfig.js";
import type { Database } from "../db/Database.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";

import { resolveIssuerKeysMnemonic } from "../config/loadConfig.js";
import { createIssuerKeyring, fillIssuerAddresses } from "../issuers/accounts/createIssuerKeyring.js";

export interface OpenIssuerKeyringParameters {
  config: Pick<Config, "issuerKeys">;
  chainId: number;
  /** The platform's own key: the sender of mint jobs accepted before jobs named theirs (migration 0014). */
  platformSigner: Address;
}

/**
 * The issuers' keys, from ISSUER_KEYS_MNEMONIC (the dev mnemonic only on a local chain), with what
 * migration 0014 could not fill in without them: the addresses of earlier issuers and the sender of
 * earlier mint jobs.
 */
export async function openIssuerKeyring(deps: { db: Database }, parameters: OpenIssuerKeyringParameters): Promise<IssuerKeyring> {
  const keyring = createIssuerKeyring({ db: deps.db, mnemonic: resolveIssuerKeysMnemonic(parameters.config.issuerKeys, parameters.chainId) });
  await fillIssuerAddresses(deps.db, keyring);
  await deps.db.query("UPDATE mint_jobs SET sender = $2 WHERE sender IS NULL AND chain_id = $1", [BigInt(parameters.chainId), parameters.platformSigner]);
  return keyring;
}
