import type { Logger } from "pino";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLock } from "../cluster/createWriteLock.js";
import type { CreateLeaseKeeperParameters, LeaseKeeper } from "../cluster/createLeaseKeeper.js";
import type { Database } from "../db/Database.js";
import type { MintFaultPoint, MintSender } from "../minting/createMintSender.js";
import type { ShutdownStack } from "./createShutdownStack.js";

import { createLeaseKeeper } from "../cluster/createLeaseKeeper.js";
import { fencedDatabase } from "../cluster/fencedDatabase.js";
import { createMintSender } from "../minting/createMintSender.js";

/** What every lease of this instance shares: the database, the holder, the term and the logger. */
export type LeaseDefaults = Omit<CreateLeaseKeeperParameters, "name" | "onAcquired" | "onLost">;

export interface StartMintSenderRoleDeps {
  db: Database;
  chain: ChainClients;
  writeLock: WriteLock;
  logger: Logger;
  leaseDefaults: LeaseDefaults;
  shutdown: Pick<ShutdownStack, "defer">;
}

export interface StartMintSenderRoleParameters {
  chainId: number;
  options: {
    /** Replace a broadcast mint transaction not mined after this long (default 60 s). */
    replaceStuckAfterMs?: number;
    /** Test hook: crash (SIGKILL) the process when the mint sender reaches this point. */
    crashAtMintFaultPoint?: MintFaultPoint;
  };
}

export interface StartMintSenderRoleReturnType {
  mintSender: MintSender;
  senderLease: LeaseKeeper;
}

/**
 * Competes for the mint-sender lease of this chain and signer, and runs the mint sender while it holds
 * it; on shutdown the lease is released (the sender stopped first) so another instance takes over at once.
 */
export async function startMintSenderRole(
  deps: StartMintSenderRoleDeps,
  parameters: StartMintSenderRoleParameters,
): Promise<StartMintSenderRoleReturnType> {
  const { db, chain, writeLock, logger, leaseDefaults } = deps;
  const { chainId, options } = parameters;
  const senderLease = createLeaseKeeper({
    ...leaseDefaults,
    name: `mint-sender:${chainId}:${chain.walletClient.account.address}`,
    onAcquired: () => mintSender.start(),
    onLost: () => mintSender.stop(),
  });
  const mintSender = createMintSender({
    db: fencedDatabase(db, senderLease),
    lease: senderLease,
    chain,
    writeLock,
    logger,
    ...(options.replaceStuckAfterMs !== undefined ? { replaceAfterMs: options.replaceStuckAfterMs } : {}),
    onFaultPoint: (point) => {
      if (point === options.crashAtMintFaultPoint) process.kill(process.pid, "SIGKILL");
    },
  });
  await senderLease.start();
  deps.shutdown.defer(() => senderLease.stop());
  return { mintSender, senderLease };
}
