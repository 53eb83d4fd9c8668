/**
 * `npm start`: the whole platform on one machine. Reads the environment (the only file that does),
 * starts or connects to each part, and serves the API on PORT (default 8080).
 *
 * Embedded defaults (nothing to configure): an Anvil chain persisted under DATA_DIR/chain, PGlite under
 * DATA_DIR/db. RPC_URL, DATABASE_URL, SIGNER_PRIVATE_KEY / SIGNER_KEYSTORE replace them.
 */
import type { Server } from "node:http";
import type { Hex, PublicClient } from "viem";
import type { StartAnvilReturnType } from "./chain/startAnvil.js";
import type { Config } from "./config/loadConfig.js";
import type { Database } from "./db/Database.js";

import { randomUUID } from "node:crypto";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";

import { CID } from "multiformats/cid";
import pino from "pino";

import type { RateLimitRule } from "./http/createRateLimiter.js";
import { DEFAULT_API_RATE_LIMIT, createApp } from "./app.js";
import { ensureAdminApiKey } from "./auth/ensureAdminApiKey.js";
import { createChainClients } from "./chain/createChainClients.js";
import { createWriteLock } from "./chain/createWriteLock.js";
import { createLeaseKeeper } from "./cluster/createLeaseKeeper.js";
import { fencedDatabase } from "./cluster/fencedDatabase.js";
import { ensureFactoryDeployed } from "./chain/ensureFactoryDeployed.js";
import { readKeystore } from "./chain/readKeystore.js";
import { startAnvil } from "./chain/startAnvil.js";
import { ConfigError, WELL_KNOWN_DEV_PRIVATE_KEYS, assertSignerAllowedOnChain, loadConfig } from "./config/loadConfig.js";
import { migrate } from "./db/migrate.js";
import { openPglite } from "./db/openPglite.js";
import { openPostgres } from "./db/openPostgres.js";
import { collectionsRouteDocs, createCollectionsRouter } from "./collections/collectionsRouter.js";
import { reconcilePendingCollections } from "./collections/createCollection.js";
import { createEditionAdminRouter, editionAdminRouteDocs } from "./editions/editionAdminRouter.js";
import { createEditionsRouter, editionsRouteDocs } from "./editions/editionsRouter.js";
import { seedDemo } from "./demo/seedDemo.js";
import { isVermilionError } from "./errors/VermilionError.js";
import { closeGracefully } from "./http/closeGracefully.js";
import { rateLimitCounterFor } from "./http/createRateLimitCounter.js";
import { createHealthRouter, healthRouteDocs } from "./http/healthRoute.js";
import { createIndexer } from "./indexer/createIndexer.js";
import { createIndexerHealthRouter, indexerHealthRouteDocs } from "./indexer/createIndexerHealthRouter.js";
import { createOpenApiRouter } from "./http/openApiRoute.js";
import { createIssuersRouter, issuersRouteDocs } from "./issuers/issuersRouter.js";
import type { Metrics } from "./metrics/createMetrics.js";
import { createMetrics, rpcErrorKind } from "./metrics/createMetrics.js";
import { createMetricsRouter, metricsRouteDocs } from "./metrics/createMetricsRouter.js";
import { countingPinFailures } from "./metrics/countingPinFailures.js";
import { readIndexedBlock } from "./provenance/readIndexedBlock.js";
import type { ContentStore } from "./storage/contentStore.js";
import { createContentStore } from "./storage/createContentStore.js";
import { createGatewayRouter, gatewayRouteDocs } from "./storage/gateway/createGatewayRouter.js";
import type { MintFaultPoint } from "./minting/createMintSender.js";
import { createMintSender } from "./minting/createMintSender.js";
import { DEFAULT_MINT_RATE_LIMIT, createMintingRouter, mintingRouteDocs } from "./minting/mintingRouter.js";
import { createProvenanceRouter, provenanceRouteDocs } from "./provenance/createProvenanceRouter.js";
import { cacheMetadataDocuments } from "./provenance/cacheMetadataDocuments.js";
import { createVerificationRouter, verificationRouteDocs } from "./verification/createVerificationRouter.js";
import { createWebRouter } from "./web/createWebRouter.js";

const API_VERSION = "0.1.0";
/** The CID of the empty file under `ipfs add --cid-version=1`: any store can answer `has` for it. */
const EMPTY_FILE_CID = CID.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");

/** Every route the API serves, for the OpenAPI document (a test checks none is missing). */
export const apiRouteDocs = [
  ...healthRouteDocs,
  ...issuersRouteDocs,
  ...collectionsRouteDocs,
  ...mintingRouteDocs,
  ...editionsRouteDocs,
  ...editionAdminRouteDocs,
  ...gatewayRouteDocs,
  ...provenanceRouteDocs,
  ...indexerHealthRouteDocs,
  ...verificationRouteDocs,
  ...metricsRouteDocs,
];

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

async function resolveSignerKey(config: Config): Promise<Hex> {
  switch (config.signer.kind) {
    case "privateKey":
      return config.signer.privateKey;
    case "keystore":
      return readKeystore(config.signer.keystorePath, config.signer.password);
    case "devDefault":
      return WELL_KNOWN_DEV_PRIVATE_KEYS[0]!;
  }
}

export interface StartServerOptions {
  /** Test hook: crash (SIGKILL) the process when the mint sender reaches this point. */
  crashAtMintFaultPoint?: MintFaultPoint;
  /** Replace a broadcast mint transaction not mined after this long (default 60 s). */
  replaceStuckAfterMs?: number;
  rateLimits?: { api: RateLimitRule; mint: RateLimitRule };
  /** Seed the demo issuer, collection, editions, mints and a transfer (once; local chains only). */
  demo?: boolean;
  /** Port for the embedded Anvil when free (npm start asks for 8545); a free one otherwise. */
  anvilPort?: number;
}

const MAX_METADATA_DOCUMENT_BYTES = 1_048_576;

/** A JSON document at `path` under `rootCid` in the store, or null if it is absent, too large or not JSON. */
async function readJsonDocument(store: ContentStore, rootCid: string, documentPath: string): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of store.cat({ cid: CID.parse(rootCid), path: documentPath })) {
    size += chunk.byteLength;
    if (size > MAX_METADATA_DOCUMENT_BYTES) return null;
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
}

/** Starts every part and the HTTP server; `stop()` shuts them down in reverse order. */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  // Unique per process: a restarted instance is a new lease holder, never mistaken for its dead self.
  const instanceId = config.instanceId ?? `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const logger = pino({
    level: config.logLevel,
    base: { instance: instanceId },
    redact: ["req.headers.authorization", "apiKey", "privateKey"],
  });
  const cleanups: Array<() => Promise<void>> = [];
  // False until started and again from the moment shutdown begins: /api/health/ready then answers 503.
  let accepting = false;
  const stop = async () => {
    accepting = false;
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => logger.error({ err: error }, "shutdown step failed"));
  };
  let metrics: Metrics | undefined;

  try {
    let anvil: StartAnvilReturnType | undefined;
    if (!config.rpcUrl) {
      anvil = await startAnvil({
        stateFile: path.join(config.dataDir, "chain", "anvil-state.json"),
        ...(options.anvilPort !== undefined ? { port: options.anvilPort } : {}),
      });
      cleanups.push(() => anvil!.stop());
    }
    const rpcUrl = config.rpcUrl ?? anvil!.rpcUrl;
    const signerKey = await resolveSignerKey(config);
    const probe = createChainClients({ rpcUrl, chainId: 0, signerPrivateKey: signerKey });
    const chainId = anvil?.chainId ?? (await probe.publicClient.getChainId());
    assertSignerAllowedOnChain(signerKey, chainId);
    const chain = createChainClients({
      rpcUrl,
      chainId,
      signerPrivateKey: signerKey,
      onRequestError: (method, error) => metrics?.rpcErrors.inc({ method, kind: rpcErrorKind(error) }),
    });

    const db: Database = config.databaseUrl
      ? await openPostgres({ connectionString: config.databaseUrl })
      : await openPglite({ dataDir: path.join(config.dataDir, "db"), logger });
    cleanups.push(() => db.close());
    await migrate(db);

    const openedStore = await createContentStore(
      config.ipfsApiUrl
        ? { kind: "kubo", apiUrl: config.ipfsApiUrl }
        : { kind: "embedded", dataDir: path.join(config.dataDir, "ipfs") },
    );
    cleanups.push(() => openedStore.close());
    const contentStore = countingPinFailures(openedStore, () => metrics?.ipfsPinFailures.inc());

    // Every chain write of the signer, in any instance, under one advisory lock (docs/cluster.md).
    const writeLock = createWriteLock({ db, chainId, signer: chain.walletClient.account.address });
    // Under the lock, instances starting together deploy one factory: the later ones find it recorded.
    const deployment = await writeLock(() =>
      ensureFactoryDeployed({
        db,
        chain,
        ...(config.factoryAddress ? { factoryAddress: config.factoryAddress } : {}),
      }),
    );
    const firstAdminApiKey = await ensureAdminApiKey(db);
    const collectionDependencies = { db, chain, factoryAddress: deployment.factoryAddress, writeLock };
    await reconcilePendingCollections(collectionDependencies);
    // One mint sender per signing key across the cluster, and one indexer writer: each runs only while
    // its instance holds the lease, and each of its writes is fenced by the lease's epoch.
    const leaseDefaults = { db, holderId: instanceId, ttlMs: config.leaseTtlMs, logger, takeOverAtStart: db.kind === "pglite" };
    const senderLease = createLeaseKeeper({
      ...leaseDefaults,
      name: `mint-sender:${chainId}:${chain.walletClient.account.address.toLowerCase()}`,
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
    cleanups.push(() => senderLease.stop());

    const demo = options.demo
      ? await seedDemo({
          db,
          chain,
          writeLock,
          store: contentStore,
          factoryAddress: deployment.factoryAddress,
          wakeMintSender: () => mintSender.wake(),
        })
      : undefined;

    // The index behind the provenance API; CONFIRMATIONS defaults to 0 on the embedded chain, 12 elsewhere
    // (docs/indexer.md: a 64-block reorg window is kept even at 0).
    const indexerLease = createLeaseKeeper({
      ...leaseDefaults,
      name: `indexer:${chainId}:${deployment.factoryAddress.toLowerCase()}`,
      onAcquired: () => indexer.start(),
      onLost: () => indexer.stop(),
    });
    const indexer = createIndexer({
      db: fencedDatabase(db, indexerLease),
      publicClient: chain.publicClient,
      factoryAddress: deployment.factoryAddress,
      fromBlock: deployment.blockNumber,
      confirmations: config.confirmations ?? (anvil ? 0 : 12),
      chainId: BigInt(chainId),
      logger,
    });
    await indexerLease.start();
    cleanups.push(() => indexerLease.stop());
    const roles = () => ({ mintSender: senderLease.isHeld(), indexerWriter: indexerLease.isHeld() });
    metrics = createMetrics({
      db,
      chainId,
      signer: chain.walletClient.account.address,
      indexerStatus: () => (indexerLease.isHeld() ? indexer.status() : null),
      roles,
    });

    const rateLimitCounter = rateLimitCounterFor(db);
    const rateLimits = options.rateLimits ?? { api: DEFAULT_API_RATE_LIMIT, mint: DEFAULT_MINT_RATE_LIMIT };
    const app = createApp({
      logger,
      httpRequestDuration: metrics.httpRequestDuration,
      rateLimits: { counter: rateLimitCounter, api: rateLimits.api },
      routers: [
        createOpenApiRouter(apiRouteDocs, API_VERSION),
        createMetricsRouter(metrics.registry),
        createHealthRouter({
          chain,
          db,
          accepting: () => accepting,
          roles,
          // Another instance may be the writer: the shared checkpoint is the answer then.
          indexedBlock: async () => {
            if (indexerLease.isHeld()) return indexer.status().checkpointBlock;
            const checkpoint = await readIndexedBlock({ db, chainId: BigInt(chainId) });
            return checkpoint ? BigInt(checkpoint.number) : null;
          },
          // A cheap round trip through the store (a remote Kubo answers over HTTP).
          ipfsStatus: async () => {
            await contentStore.has(EMPTY_FILE_CID);
            return "ok";
          },
        }),
        createIndexerHealthRouter({ indexer }),
        createIssuersRouter({ db, adminApiKey: config.adminApiKey }),
        createCollectionsRouter({ ...collectionDependencies, adminApiKey: config.adminApiKey }),
        createMintingRouter({
          db,
          chain,
          adminApiKey: config.adminApiKey,
          rateLimit: { counter: rateLimitCounter, mint: rateLimits.mint },
          onJobAccepted: () => mintSender.wake(),
        }),
        createEditionsRouter({ db, chain, writeLock, store: contentStore, adminApiKey: config.adminApiKey }),
        createEditionAdminRouter({ db, chain, writeLock, adminApiKey: config.adminApiKey }),
        createGatewayRouter({ store: contentStore }),
        // Media and metadata URLs point at this server's own /ipfs gateway.
        createProvenanceRouter({
          db,
          chainId: BigInt(chainId),
          ipfsGatewayUrl: "",
          readMetadataDocument: cacheMetadataDocuments((metadataCid, serial) => readJsonDocument(contentStore, metadataCid, `${serial}.json`)),
        }),
        createVerificationRouter({
          db,
          publicClient: chain.publicClient as PublicClient,
          chainId: BigInt(chainId),
          factoryAddress: deployment.factoryAddress,
          factoryBlock: deployment.blockNumber,
          store: contentStore,
        }),
        // Last: the front end's pages (web/dist), never under /api or /ipfs.
        createWebRouter({ distDir: path.resolve(import.meta.dirname, "..", "web", "dist") }),
      ],
    });
    const server: Server = app.listen(config.port, config.host);
    await once(server, "listening");
    // Shutdown stops accepting first, lets requests in flight finish (up to SHUTDOWN_TIMEOUT_MS), then
    // the roles hand over (their leases released) and the rest closes in reverse order of starting.
    cleanups.push(() => closeGracefully(server, config.shutdownTimeoutMs));
    accepting = true;
    const address = server.address();
    const port = address && typeof address === "object" ? address.port : config.port;
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

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error("Vermilion cannot start: the configuration has problems.");
      for (const problem of error.problems) console.error(`  - ${problem.field} ${problem.message}`);
      process.exit(2);
    }
    throw error;
  }
  // Fault injection for the crash tests only; never set in normal use.
  const crashAt = process.env.VERMILION_TEST_CRASH_AT as MintFaultPoint | undefined;
  let running: RunningServer;
  try {
    running = await startServer(config, {
      demo: process.argv.includes("--demo"),
      anvilPort: 8545,
      ...(crashAt ? { crashAtMintFaultPoint: crashAt } : {}),
    });
  } catch (error) {
    if (isVermilionError(error)) {
      console.error(`Vermilion cannot start: ${error.code}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  console.log(`Vermilion is running at ${running.url}`);
  console.log(`  chain ${running.chainId} at ${running.rpcUrl}; factory ${running.factoryAddress}`);
  console.log(`  data in ${config.dataDir}`);
  if (running.firstAdminApiKey) {
    console.log(`  admin API key (shown once, stored hashed): ${running.firstAdminApiKey}`);
  }
  if (running.demo) {
    console.log(`  demo collection ${running.demo.collection}: ${running.url}/api/collections/${running.demo.collection}/editions`);
    if (running.demo.issuerApiKey) console.log(`  demo issuer API key (shown once): ${running.demo.issuerApiKey}`);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

if (import.meta.filename === process.argv[1]) await main();
