import type { Logger } from "pino";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLocks } from "../cluster/createWriteLock.js";
import type { CreateLeaseKeeperParameters } from "../cluster/createLeaseKeeper.js";
import type { Database } from "../db/Database.js";
import type { GasFunder } from "../gas/createGasFunder.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import type { MintFaultPoint } from "../minting/createMintSender.js";
import type { MintSenderPool } from "../minting/senderPool/createMintSenderPool.js";
import type { ShutdownStack } from "./createShutdownStack.js";

import { createMintSenderPool } from "../minting/senderPool/createMintSenderPool.js";

/** What every lease of this instance shares: the database, the holder, the term and the logger. */
export type LeaseDefaults = Omit<CreateLeaseKeeperParameters, "name" | "onAcquired" | "onLost">;

export interface StartMintSenderRoleDeps {
  db: Database;
  chain: ChainClients;
  writeLocks: WriteLocks;
  issuerKeyring: IssuerKeyring;
  gasFunder: GasFunder;
  logger: Logger;
  leaseDefaults: LeaseDefaults;
  shutdown: Pick<ShutdownStack, "defer">;
  /** Told of each mint transaction the node lost (dropped, or reorged away): the metrics count them. */
  onTransactionLost?: (cause: "dropped" | "reorged") => void;
}

export interface StartMintSenderRoleParameters {
  /** The chain's finality depth (`resolveConfirmations`): jobs complete once their blocks are final. */
  confirmations: number;
  options: {
    /** Replace a broadcast mint transaction not mined after this long (default 60 s). */
    replaceStuckAfterMs?: number;
    /** How often a receipt wait asks the node whether it still knows the transaction (default 3 s). */
    mempoolCheckMs?: number;
    /** Test hook: crash (SIGKILL) the process when any mint sender reaches this point. */
    crashAtMintFaultPoint?: MintFaultPoint;
  };
}

export interface StartMintSenderRoleReturnType {
  mintSenders: MintSenderPool;
}

/**
 * Runs the mint senders of this instance: one per signing key with open jobs, each while this instance
 * holds that key's lease (`mint-sender:<chainId>:<address>`); on shutdown every sender is stopped and
 * its lease released, so another instance takes over at once.
 */
export async function startMintSenderRole(
  deps: StartMintSenderRoleDeps,
  parameters: StartMintSenderRoleParameters,
): Promise<StartMintSenderRoleReturnType> {
  const { options } = parameters;
  const mintSenders = createMintSenderPool(deps, {
    senderOptions: {
      ...(options.replaceStuckAfterMs !== undefined ? { replaceAfterMs: options.replaceStuckAfterMs } : {}),
      ...(options.mempoolCheckMs !== undefined ? { mempoolCheckMs: options.mempoolCheckMs } : {}),
      confirmations: parameters.confirmations,
      ...(deps.onTransactionLost ? { onTransactionLost: deps.onTransactionLost } : {}),
      onFaultPoint: (point) => {
        if (point === options.crashAtMintFaultPoint) process.kill(process.pid, "SIGKILL");
      },
    },
  });
  await mintSenders.start();
  deps.shutdown.defer(() => mintSenders.stop());
  return { mintSenders };
}
