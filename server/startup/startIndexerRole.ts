import type { Logger } from "pino";
import type { ChainClients } from "../chain/createChainClients.js";
import type { LeaseKeeper } from "../cluster/createLeaseKeeper.js";
import type { Database } from "../db/Database.js";
import type { FactoryDeployment } from "../deployment/ensureFactoryDeployed.js";
import type { Indexer } from "../indexer/createIndexer.js";
import type { ShutdownStack } from "./createShutdownStack.js";
import type { LeaseDefaults } from "./startMintSenderRole.js";

import { createLeaseKeeper } from "../cluster/createLeaseKeeper.js";
import { fencedDatabase } from "../cluster/fencedDatabase.js";
import { createIndexer } from "../indexer/createIndexer.js";

export interface StartIndexerRoleDeps {
  db: Database;
  chain: ChainClients;
  logger: Logger;
  leaseDefaults: LeaseDefaults;
  shutdown: Pick<ShutdownStack, "defer">;
}

export interface StartIndexerRoleParameters {
  /** The chain's finality depth (`resolveConfirmations`). */
  confirmations: number;
  chainId: number;
  deployment: Pick<FactoryDeployment, "factoryAddress" | "blockNumber">;
}

export interface StartIndexerRoleReturnType {
  indexer: Indexer;
  indexerLease: LeaseKeeper;
}

/**
 * Competes for the indexer-writer lease of this factory, and runs the indexer (from the factory's
 * deployment block) while it holds it; on shutdown the lease is released so another instance takes over.
 */
export async function startIndexerRole(
  deps: StartIndexerRoleDeps,
  parameters: StartIndexerRoleParameters,
): Promise<StartIndexerRoleReturnType> {
  const { db, chain, logger, leaseDefaults } = deps;
  const { chainId, deployment } = parameters;
  // The index behind the provenance API; a 64-block reorg window is kept even at CONFIRMATIONS=0 (docs/indexer.md).
  const indexerLease = createLeaseKeeper({
    ...leaseDefaults,
    name: `indexer:${chainId}:${deployment.factoryAddress}`,
    onAcquired: () => indexer.start(),
    onLost: () => indexer.stop(),
  });
  const indexer = createIndexer({
    db: fencedDatabase(db, indexerLease),
    publicClient: chain.publicClient,
    factoryAddress: deployment.factoryAddress,
    fromBlock: deployment.blockNumber,
    confirmations: parameters.confirmations,
    chainId: BigInt(chainId),
    logger,
  });
  await indexerLease.start();
  deps.shutdown.defer(() => indexerLease.stop());
  return { indexer, indexerLease };
}
