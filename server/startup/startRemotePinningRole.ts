import type { Logger } from "pino";
import type { Config } from "../config/loadConfig.js";
import type { Database } from "../db/Database.js";
import type { RemotePinner } from "../storage/pinning/createRemotePinner.js";
import type { RemotePinBackoff } from "../storage/pinning/remotePinBackoff.js";
import type { ShutdownStack } from "./createShutdownStack.js";

import { createPinningServiceClient } from "../storage/pinning/pinningServiceClient.js";
import { createRemotePinner } from "../storage/pinning/createRemotePinner.js";
import { DEFAULT_REMOTE_PIN_BACKOFF } from "../storage/pinning/remotePinBackoff.js";
import { reopenRejectedRemotePins } from "../storage/pinning/reopenRejectedRemotePins.js";

export interface StartRemotePinningRoleDeps {
  db: Database;
  logger: Logger;
  shutdown: Pick<ShutdownStack, "defer">;
  /** Counts each failed step by code (vermilion_remote_pin_failures_total). */
  onFailure: (code: string) => void;
}

/** Test hooks: shorter waits than production's. */
export interface RemotePinningTuning {
  backoff?: Partial<RemotePinBackoff>;
  idleMs?: number;
  requestTimeoutMs?: number;
}

/**
 * With PINNING_SERVICE_URL set, this instance's remote pinner: every instance runs one (pins are shared
 * out with SKIP LOCKED). Pins the service refused before are tried once more, since a start is when a
 * fixed token takes effect. Undefined without a service.
 */
export async function startRemotePinningRole(
  deps: StartRemotePinningRoleDeps,
  parameters: { config: Pick<Config, "pinningService" | "ipfsApiUrl">; tuning?: RemotePinningTuning },
): Promise<RemotePinner | undefined> {
  const service = parameters.config.pinningService;
  if (!service) return undefined;
  const tuning = parameters.tuning ?? {};
  if (!parameters.config.ipfsApiUrl) {
    // The embedded store has no network: the service can fetch the content only from another node that has it.
    deps.logger.warn("PINNING_SERVICE_URL with the embedded IPFS store: the service cannot fetch content from this node (set IPFS_API_URL to a networked Kubo)");
  }
  const reopened = await reopenRejectedRemotePins(deps);
  if (reopened > 0) deps.logger.info({ pins: reopened }, "pins the pinning service refused before are requested again");
  const pinner = createRemotePinner(
    {
      db: deps.db,
      client: createPinningServiceClient({
        endpoint: service.url,
        accessToken: service.accessToken,
        ...(tuning.requestTimeoutMs !== undefined ? { timeoutMs: tuning.requestTimeoutMs } : {}),
      }),
      backoff: { ...DEFAULT_REMOTE_PIN_BACKOFF, ...tuning.backoff },
      now: () => new Date(),
      logger: deps.logger,
      onFailure: deps.onFailure,
    },
    tuning.idleMs !== undefined ? { idleMs: tuning.idleMs } : {},
  );
  pinner.start();
  deps.shutdown.defer(() => pinner.stop());
  return pinner;
}
