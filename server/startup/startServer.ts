import type { Request, Response } from "express";
import type { Config } from "../config/loadConfig.js";
import type { Metrics } from "../metrics/createMetrics.js";
import type { EditionJobFaultPoint } from "../editions/runEditionJob.js";
import type { CustodyDeps } from "../issuers/custody/finishCustodyTransfer.js";
import type { MintFaultPoint } from "../minting/createMintSender.js";

import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";

import pino from "pino";

import { createApp } from "../app.js";
import { ensureAdminApiKey } from "../auth/ensureAdminApiKey.js";
import { identifyClient } from "../auth/identifyClient.js";
import { resolveConfirmations } from "../chain/finality.js";
import { createWriteLocks } from "../cluster/createWriteLock.js";
import { reconcilePendingCollections } from "../collections/createCollection.js";
import { seedDemo } from "../demo/seedDemo.js";
import { createGasFunder } from "../gas/createGasFunder.js";
import { ensureFactoryDeployed } from "../deployment/ensureFactoryDeployed.js";
import { logContractsBuild } from "../deployment/logContractsBuild.js";
import { createRateLimits } from "../http/rateLimits.js";
import { closeGlbJsonWorkers } from "../storage/media/checkGlbJson.js";
import { createUploadSlots } from "../uploads/createUploadSlots.js";
import { prepareUploadDirectory } from "../uploads/prepareUploadDirectory.js";
import { createMetrics, rpcErrorKind } from "../metrics/createMetrics.js";
import { createPlatformRouters } from "./createPlatformRouters.js";
import { createShutdownStack } from "./createShutdownStack.js";
import { listen } from "./listen.js";
import { openChain } from "./openChain.js";
import { openContentStore } from "./openContentStore.js";
import { openDatabase } from "./openDatabase.js";
import { openIssuerKeyring } from "./openIssuerKeyring.js";
import { resumeCustodyTransfers } from "./resumeCustodyTransfers.js";
import { startClaimDispatcherRole } from "./startClaimDispatcherRole.js";
import { startEditionJobRole } from "./startEditionJobRole.js";
import { startIndexerRole } from "./startIndexerRole.js";
import { startMintSenderRole } from "./startMintSenderRole.js";
import { startRemotePinningRole, type RemotePinningTuning } from "./startRemotePinningRole.js";

export interface RunningServer {
  url: string;
  rpcUrl: string;
  chainId: number;
  factoryAddress: string;
  /** Set on the first run only: the admin API key, shown once. */
  firstAdminApiKey: string | undefined;
  /** With `demo`: the demo collection, and the demo issuer's API key when it was just created. */
  demo?: { collection: string; issuerApiKey: string | undefined };
  stop: () => Promise<void>;
}

export interface StartServerOptions {
  /** Test hook: crash (SIGKILL) the process when the mint sender reaches this point. */
  crashAtMintFaultPoint?: MintFaultPoint;
  /** Test hook: crash (SIGKILL) the process when an edition job reaches this point. */
  crashAtEditionJobFaultPoint?: EditionJobFaultPoint;
  /** Test hook: called (and awaited) when an edition job reaches each fault point. */
  onEditionJobFaultPoint?: (point: EditionJobFaultPoint) => void | Promise<void>;
  /** Replace a broadcast mint transaction not mined after this long (default 60 s). */
  replaceStuckAfterMs?: number;
  /** How often a mint's receipt wait asks the node whether it still knows the transaction (default 3 s). */
  mempoolCheckMs?: number;
  /** Seed the demo issuer, collection, editions, mints and a transfer (once; local chains only). */
  demo?: boolean;
  /** Port for the embedded Anvil when free (npm start asks for 8545); a free one otherwise. */
  anvilPort?: number;
  /** Who a request comes from, for per-client bounds on verification work (default: the client address). */
  clientKey?: (request: Request, response: Response) => string;
  /** Test hook: called after each on-chain step of a custody transfer (a throw interrupts it there). */
  onCustodyStep?: CustodyDeps["onCustodyStep"];
  /** Test hook: shorter remote-pinning backoff, polls and timeouts than production's. */
  remotePinning?: RemotePinningTuning;
}

/**
 * Starts every part and the HTTP server, each step registering what undoes it; `stop()` (or a step that
 * fails) undoes them in reverse order: the HTTP server closes first, then the roles hand over, then the
 * content store, the database and the embedded chain close.
 */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  // Unique per process: a restarted instance is a new lease holder, never mistaken for its dead self.
  const instanceId = config.instanceId ?? `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const logger = pino({
    level: config.logLevel,
    base: { instance: instanceId },
    redact: ["req.headers.authorization", "apiKey", "privateKey"],
  });
  const shutdown = createShutdownStack(logger);
  // False until started and again from the moment shutdown begins: /api/health/ready then answers 503.
  let accepting = false;
  const stop = async () => {
    accepting = false;
    await shutdown.run();
  };
  // Created once the roles run; the chain and the store count their failures into it from then on.
  let metrics: Metrics | undefined;

  try {
    // The database first: the chain's hourly gas budget is kept in it.
    const db = await openDatabase({ logger, shutdown }, { config });
    const { chain, rpcUrl, chainId, embedded } = await openChain(
      { shutdown, db, logger },
      {
        config,
        ...(options.anvilPort !== undefined ? { anvilPort: options.anvilPort } : {}),
        onRequestError: (method, error) => metrics?.rpcErrors.inc({ method, kind: rpcErrorKind(error) }),
      },
    );
    const contentStore = await openContentStore({ shutdown, onPinFailure: () => metrics?.ipfsPinFailures.inc() }, { config });

    // Every chain write of the signer, in any instance, under one advisory lock (docs/cluster.md).
    // (Each issuer key has its own lock, from the same registry.)
    const writeLocks = createWriteLocks({ db, chainId });
    const writeLock = writeLocks(chain.walletClient.account.address);
    // Under the lock, instances starting together deploy one factory: the later ones find it recorded.
    const deployment = await writeLock(() =>
      ensureFactoryDeployed({
        db,
        chain,
        contractsBuild: config.contractsBuild,
        ...(config.factoryAddress ? { factoryAddress: config.factoryAddress } : {}),
      }),
    );
    logContractsBuild(logger, config.contractsBuild, deployment);
    const firstAdminApiKey = await ensureAdminApiKey(db);
    const issuerKeyring = await openIssuerKeyring({ db }, { config, chainId, platformSigner: chain.walletClient.account.address });
    // The platform's key pays issuers' gas by topping up their keys, within each issuer's budget.
    const gasFunder = createGasFunder(
      {
        db,
        chain,
        writeLock,
        logger,
        onTopUp: (issuerId, amountWei) => metrics?.issuerGasFundedWei.inc({ issuer: issuerId }, Number(amountWei)),
        onBudgetRefused: (issuerId) => metrics?.issuerGasBudgetRefusals.inc({ issuer: issuerId }),
      },
      config.gasFunding,
    );
    const collectionDependencies = { db, chain, factoryAddress: deployment.factoryAddress, writeLock };
    await reconcilePendingCollections(collectionDependencies);
    const custodyHook = options.onCustodyStep ? { onCustodyStep: options.onCustodyStep } : {};
    await resumeCustodyTransfers({ db, chain, issuerKeyring, writeLocks, gasFunder, logger, ...custodyHook });

    // One mint sender per signing key across the cluster, and one indexer writer: each runs only while
    // its instance holds the lease, and each of its writes is fenced by the lease's epoch.
    const leaseDefaults = { db, holderId: instanceId, ttlMs: config.leaseTtlMs, logger, takeOverAtStart: db.kind === "pglite" };
    // One finality depth for job completion, the index's finalized block and the API's `final` flags.
    const confirmations = resolveConfirmations(config.confirmations, chainId);
    const { mintSenders } = await startMintSenderRole(
      {
        db,
        chain,
        writeLocks,
        issuerKeyring,
        gasFunder,
        logger,
        leaseDefaults,
        shutdown,
        onTransactionLost: (cause) => metrics?.mintTransactionsLost.inc({ cause }),
      },
      { confirmations, options },
    );
    // Claimed codes become airdrop jobs of the senders above.
    const { claimCodeKey, claimDispatcher } = startClaimDispatcherRole(
      { db, chain, issuerKeyring, writeLocks, logger, shutdown, wakeSender: (sender) => mintSenders.wake(sender) },
      { config, chainId },
    );
    const { editionJobRunner } = await startEditionJobRole(
      { db, chain, issuerKeyring, writeLocks, gasFunder, store: contentStore, logger, leaseDefaults, shutdown },
      {
        chainId,
        budget: config.editionBudget,
        ...(options.crashAtEditionJobFaultPoint ? { crashAtEditionJobFaultPoint: options.crashAtEditionJobFaultPoint } : {}),
        ...(options.onEditionJobFaultPoint ? { onEditionJobFaultPoint: options.onEditionJobFaultPoint } : {}),
      },
    );
    // With a pinning service, every instance pins edition CIDs there too (pins shared out with SKIP LOCKED).
    await startRemotePinningRole(
      { db, logger, shutdown, onFailure: (code) => metrics?.remotePinFailures.inc({ code }) },
      { config, ...(options.remotePinning ? { tuning: options.remotePinning } : {}) },
    );
    const demo = options.demo
      ? await seedDemo({
          db,
          chain,
          writeLock,
          issuerKeyring,
          writeLocks,
          gasFunder,
          store: contentStore,
          factoryAddress: deployment.factoryAddress,
          wakeMintSender: () => mintSenders.wake(),
        })
      : undefined;
    const { indexer, indexerLease } = await startIndexerRole(
      { db, chain, logger, leaseDefaults, shutdown },
      { confirmations, chainId, deployment },
    );
    // mintSender: this instance holds the lease of at least one key's sender.
    const roles = () => ({ mintSender: mintSenders.heldLeases() > 0, indexerWriter: indexerLease.isHeld() });
    metrics = createMetrics({
      db,
      chainId,
      mintSenderLeasesHeld: () => mintSenders.heldLeases(),
      indexerStatus: () => (indexerLease.isHeld() ? indexer.status() : null),
      roles,
      remotePinning: config.pinningService !== undefined,
    });

    if (config.trustProxy === true) {
      logger.warn("TRUST_PROXY=true: any client can choose its address with X-Forwarded-For unless every request passes a proxy that overwrites it");
    }

    // Uploads stream into files here; what a dead process left behind is removed before any arrives.
    const uploads = { tempDir: path.join(config.dataDir, "tmp", "uploads"), slots: createUploadSlots(config.uploadConcurrency) };
    await prepareUploadDirectory(uploads.tempDir);
    shutdown.defer(closeGlbJsonWorkers);
    const app = createApp({
      logger,
      httpRequestDuration: metrics.httpRequestDuration,
      trustProxy: config.trustProxy,
      identifyClient: identifyClient({ db, adminApiKey: config.adminApiKey }),
      rateLimits: createRateLimits({ db, logger }, config.rateLimits),
      routers: createPlatformRouters(
        {
          db,
          chain,
          writeLock,
          writeLocks,
          issuerKeyring,
          gasFunder,
          contentStore,
          uploads,
          collectionDependencies,
          mintSenders,
          claimCodeKey,
          claimDispatcher,
          editionJobRunner,
          indexer,
          indexerLease,
          metrics,
          accepting: () => accepting,
          roles,
          ...(options.clientKey ? { clientKey: options.clientKey } : {}),
          ...custodyHook,
        },
        // The embedded Anvil is this machine's own chain; a configured RPC_URL may carry a provider's key.
        { config, chainId, deployment, publicRpcUrl: config.publicRpcUrl ?? (embedded && /^https?:/.test(rpcUrl) ? rpcUrl : null) },
      ),
    });
    const { port } = await listen({ shutdown }, { app, config });
    accepting = true;
    return {
      url: `http://${config.host}:${port}`,
      rpcUrl,
      chainId,
      factoryAddress: deployment.factoryAddress,
      firstAdminApiKey,
      ...(demo ? { demo: { collection: demo.collection, issuerApiKey: demo.issuerApiKey } } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
