import type { Logger } from "pino";
import type { Address } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { ClaimCodeKey } from "../claims/claimCodes.js";
import type { ClaimDispatcher } from "../claims/createClaimDispatcher.js";
import type { WriteLocks } from "../cluster/createWriteLock.js";
import type { Config } from "../config/loadConfig.js";
import type { Database } from "../db/Database.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import type { ShutdownStack } from "./createShutdownStack.js";

import { deriveClaimCodeKey } from "../claims/claimCodes.js";
import { createClaimDispatcher } from "../claims/createClaimDispatcher.js";
import { resolveIssuerKeysMnemonic } from "../config/loadConfig.js";

export interface StartClaimDispatcherRoleDeps {
  db: Database;
  chain: ChainClients;
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
  logger: Logger;
  shutdown: Pick<ShutdownStack, "defer">;
  /** Wakes the mint sender of a key given a job. */
  wakeSender: (sender: Address) => void;
}

/**
 * The claim-code key (from the issuer-keys mnemonic, as the issuer keys are) and this instance's claim
 * dispatcher, which every instance runs (codes are shared out with SKIP LOCKED); stopped on shutdown.
 */
export function startClaimDispatcherRole(
  deps: StartClaimDispatcherRoleDeps,
  parameters: { config: Pick<Config, "issuerKeys">; chainId: number },
): { claimCodeKey: ClaimCodeKey; claimDispatcher: ClaimDispatcher } {
  const claimCodeKey = deriveClaimCodeKey(resolveIssuerKeysMnemonic(parameters.config.issuerKeys, parameters.chainId));
  const claimDispatcher = createClaimDispatcher(deps);
  claimDispatcher.start();
  deps.shutdown.defer(() => claimDispatcher.stop());
  return { claimCodeKey, claimDispatcher };
}
