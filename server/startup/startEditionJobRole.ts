import type { Logger } from "pino";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLocks } from "../cluster/createWriteLock.js";
import type { Database } from "../db/Database.js";
import type { GasFunder } from "../gas/createGasFunder.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import type { EditionBudget } from "../config/editionBudgetSettings.js";
import type { EditionJobRunner } from "../editions/createEditionJobRunner.js";
import type { EditionJobFaultPoint } from "../editions/runEditionJob.js";
import type { ContentStore } from "../storage/contentStore.js";
import type { ShutdownStack } from "./createShutdownStack.js";
import type { LeaseDefaults } from "./startMintSenderRole.js";

import { createLeaseKeeper } from "../cluster/createLeaseKeeper.js";
import { fencedDatabase } from "../cluster/fencedDatabase.js";
import { createEditionJobRunner } from "../editions/createEditionJobRunner.js";

export interface StartEditionJobRoleDeps {
  db: Database;
  chain: ChainClients;
  /** Each job's edition is sent by its collection's operating key, under that key's write lock. */
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
  gasFunder: GasFunder;
  store: ContentStore;
  logger: Logger;
  leaseDefaults: LeaseDefaults;
  shutdown: Pick<ShutdownStack, "defer">;
}

export interface StartEditionJobRoleParameters {
  chainId: number;
  budget: EditionBudget;
  /** Test hook: crash (SIGKILL) the process when a job reaches this point. */
  crashAtEditionJobFaultPoint?: EditionJobFaultPoint;
  /** Test hook: called (and awaited) at each fault point of a job. */
  onEditionJobFaultPoint?: (point: EditionJobFaultPoint) => void | Promise<void>;
}

/**
 * Competes for the edition-job lease of this chain and signer, and runs the job runner while it holds
 * it: one job at a time in the whole cluster, each of its writes fenced by the lease's epoch.
 */
export async function startEditionJobRole(
  deps: StartEditionJobRoleDeps,
  parameters: StartEditionJobRoleParameters,
): Promise<{ editionJobRunner: EditionJobRunner }> {
  const { db, chain, logger } = deps;
  const lease = createLeaseKeeper({
    ...deps.leaseDefaults,
    name: `edition-jobs:${parameters.chainId}:${chain.walletClient.account.address}`,
    onAcquired: () => editionJobRunner.start(),
    onLost: () => editionJobRunner.stop(),
  });
  const editionJobRunner = createEditionJobRunner({
    db: fencedDatabase(db, lease),
    chain,
    issuerKeyring: deps.issuerKeyring,
    writeLocks: deps.writeLocks,
    gasFunder: deps.gasFunder,
    store: deps.store,
    budget: parameters.budget,
    logger,
    onFaultPoint: async (point) => {
      if (point === parameters.crashAtEditionJobFaultPoint) process.kill(process.pid, "SIGKILL");
      await parameters.onEditionJobFaultPoint?.(point);
    },
  });
  await lease.start();
  deps.shutdown.defer(() => lease.stop());
  return { editionJobRunner };
}
