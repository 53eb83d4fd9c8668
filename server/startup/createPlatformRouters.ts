import type { Request, Response, Router } from "express";
import type { PublicClient } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { ClaimCodeKey } from "../claims/claimCodes.js";
import type { ClaimDispatcher } from "../claims/createClaimDispatcher.js";
import type { GasFunder } from "../gas/createGasFunder.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import type { CustodyDeps } from "../issuers/custody/finishCustodyTransfer.js";
import type { WriteLock, WriteLocks } from "../cluster/createWriteLock.js";
import type { Lease } from "../cluster/createLeaseKeeper.js";
import type { CollectionDependencies } from "../collections/createCollection.js";
import type { Config } from "../config/loadConfig.js";
import type { Database } from "../db/Database.js";
import type { FactoryDeployment } from "../deployment/ensureFactoryDeployed.js";
import type { Indexer } from "../indexer/createIndexer.js";
import type { Metrics } from "../metrics/createMetrics.js";
import type { MintSenderPool } from "../minting/senderPool/createMintSenderPool.js";
import type { EditionJobRunner } from "../editions/createEditionJobRunner.js";
import type { ContentStore } from "../storage/contentStore.js";
import type { UploadSlots } from "../uploads/createUploadSlots.js";

import path from "node:path";

import { CID } from "multiformats/cid";

import { clientKeyOf } from "../auth/identifyClient.js";
import { claimsRouteDocs, createClaimsRouter } from "../claims/claimsRouter.js";
import { collectionsRouteDocs, createCollectionsRouter } from "../collections/collectionsRouter.js";
import { createEditionAdminRouter, editionAdminRouteDocs } from "../editions/editionAdminRouter.js";
import { createEditionsRouter, editionsRouteDocs } from "../editions/editionsRouter.js";
import { createHealthRouter, healthRouteDocs } from "../health/healthRouter.js";
import { createIndexerHealthRouter, indexerHealthRouteDocs } from "../indexer/indexerHealthRouter.js";
import { createIssuersRouter, issuersRouteDocs } from "../issuers/issuersRouter.js";
import { createMetricsRouter, metricsRouteDocs } from "../metrics/metricsRouter.js";
import { createMintingRouter, mintingRouteDocs } from "../minting/mintingRouter.js";
import { createOpenApiRouter } from "../openapi/openApiRouter.js";
import { cacheMetadataDocuments } from "../provenance/cacheMetadataDocuments.js";
import { createProvenanceRouter, provenanceRouteDocs } from "../provenance/provenanceRouter.js";
import { readIndexedBlock } from "../provenance/readIndexedBlock.js";
import { createGatewayRouter, gatewayRouteDocs } from "../storage/gateway/gatewayRouter.js";
import { auditRouteDocs, createAuditRouter } from "../audit/auditRouter.js";
import { deriveReportKey } from "../audit/deriveReportKey.js";
import { resolveIssuerKeysMnemonic } from "../config/loadConfig.js";
import { createWebRouter } from "../web/webRouter.js";
import { createVouchersRouter, vouchersRouteDocs } from "../vouchers/vouchersRouter.js";
import { readJsonDocument } from "./readJsonDocument.js";

const API_VERSION = "0.1.0";
/** The CID of the empty file under `ipfs add --cid-version=1`: any store can answer `has` for it. */
const EMPTY_FILE_CID = CID.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");

/** Every route the API serves, for the OpenAPI document (a test checks none is missing). */
export const apiRouteDocs = [
  ...healthRouteDocs,
  ...issuersRouteDocs,
  ...collectionsRouteDocs,
  ...mintingRouteDocs,
  ...claimsRouteDocs,
  ...editionsRouteDocs,
  ...editionAdminRouteDocs,
  ...gatewayRouteDocs,
  ...provenanceRouteDocs,
  ...indexerHealthRouteDocs,
  ...auditRouteDocs,
  ...metricsRouteDocs,
  ...vouchersRouteDocs,
];

export interface CreatePlatformRoutersDeps {
  db: Database;
  chain: ChainClients;
  writeLock: WriteLock;
  /** Every issuer's platform-held keys (operating and custodial admin). */
  /** The write lock of any signer (the platform's key is `writeLock`). */
  writeLocks: WriteLocks;
  issuerKeyring: IssuerKeyring;
  /** Tops up issuers' keys from the platform's funding key, within each issuer's gas budget. */
  gasFunder: GasFunder;
  contentStore: ContentStore;
  /** Where uploads stream to, and how many may arrive at once. */
  uploads: { tempDir: string; slots: UploadSlots };
  collectionDependencies: CollectionDependencies;
  /** The mint senders, one per key: a job's acceptance wakes its key's. */
  mintSenders: Pick<MintSenderPool, "wake">;
  /** The key claim codes derive from, and the dispatcher a claim wakes. */
  claimCodeKey: ClaimCodeKey;
  claimDispatcher: Pick<ClaimDispatcher, "wake">;
  editionJobRunner: Pick<EditionJobRunner, "wake">;
  indexer: Indexer;
  indexerLease: Pick<Lease, "isHeld">;
  metrics: Pick<Metrics, "registry" | "verificationRuns" | "verificationBlocksRead" | "verificationQueue">;
  /** False until started and again from the moment shutdown begins: /api/health/ready then answers 503. */
  accepting: () => boolean;
  /** Which cluster roles this instance holds now. */
  roles: () => Record<string, boolean>;
  /** Who a request comes from, for per-client bounds on verification work (default: the client address). */
  clientKey?: (request: Request, response: Response) => string;
  /** Test hook: called after each on-chain step of a custody transfer. */
  onCustodyStep?: CustodyDeps["onCustodyStep"];
}

export interface CreatePlatformRoutersParameters {
  config: Pick<Config, "adminApiKey" | "editionBudget" | "editionJobThresholdDocuments" | "issuerKeys" | "verification">;
  chainId: number;
  deployment: Pick<FactoryDeployment, "factoryAddress" | "blockNumber">;
  /** The JSON-RPC endpoint pages offer readers' browsers as this platform's (null: none). */
  publicRpcUrl: string | null;
}

/** The platform's routers in the order they are mounted: the API's capabilities, then the front end. */
export function createPlatformRouters(deps: CreatePlatformRoutersDeps, parameters: CreatePlatformRoutersParameters): Router[] {
  const { db, chain, issuerKeyring, writeLocks, gasFunder, contentStore, uploads, collectionDependencies, mintSenders, editionJobRunner, indexer, indexerLease, metrics, accepting, roles } =
    deps;
  const { config, chainId, deployment } = parameters;
  return [
    createOpenApiRouter(apiRouteDocs, API_VERSION),
    createMetricsRouter(metrics.registry),
    createHealthRouter({
      chain,
      db,
      accepting,
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
    createIssuersRouter({
      db,
      chain,
      issuerKeyring: deps.issuerKeyring,
      writeLocks: deps.writeLocks,
      gasFunder: deps.gasFunder,
      factoryAddress: deployment.factoryAddress,
      adminApiKey: config.adminApiKey,
      ...(deps.onCustodyStep ? { onCustodyStep: deps.onCustodyStep } : {}),
    }),
    createCollectionsRouter({ ...collectionDependencies, adminApiKey: config.adminApiKey }),
    createMintingRouter({
      db,
      chain,
      issuerKeyring: deps.issuerKeyring,
      writeLocks: deps.writeLocks,
      adminApiKey: config.adminApiKey,
      onJobAccepted: (job) => mintSenders.wake(job.sender),
    }),
    createClaimsRouter({
      db,
      chain,
      claimCodeKey: deps.claimCodeKey,
      adminApiKey: config.adminApiKey,
      onClaimed: () => deps.claimDispatcher.wake(),
    }),
    createEditionsRouter({
      db,
      chain,
      issuerKeyring,
      writeLocks,
      gasFunder,
      store: contentStore,
      uploads,
      adminApiKey: config.adminApiKey,
      budget: config.editionBudget,
      jobThresholdDocuments: config.editionJobThresholdDocuments,
      onEditionJobAccepted: () => editionJobRunner.wake(),
    }),
    createEditionAdminRouter({ db, chain, issuerKeyring, writeLocks, gasFunder, adminApiKey: config.adminApiKey }),
    createVouchersRouter({ db, chain, issuerKeyring, writeLocks, gasFunder, adminApiKey: config.adminApiKey }),
    createGatewayRouter({ store: contentStore }),
    // Media and metadata URLs point at this server's own /ipfs gateway.
    createProvenanceRouter({
      db,
      chainId: BigInt(chainId),
      ipfsGatewayUrl: "",
      readMetadataDocument: cacheMetadataDocuments((metadataCid, serial) => readJsonDocument(contentStore, metadataCid, `${serial}.json`)),
    }),
    createAuditRouter({
      db,
      publicClient: chain.publicClient as PublicClient,
      chainId: BigInt(chainId),
      factoryAddress: deployment.factoryAddress,
      factoryBlock: deployment.blockNumber,
      store: contentStore,
      limits: config.verification,
      metrics,
      reportKey: deriveReportKey(resolveIssuerKeysMnemonic(config.issuerKeys, chainId)),
      // The same client identity the rate limits count: its valid key, else its address (TRUST_PROXY).
      clientKey: deps.clientKey ?? ((_request, response) => clientKeyOf(response)),
    }),
    // Last: the front end's pages (web/dist), never under /api or /ipfs.
    createWebRouter({
      distDir: path.resolve(import.meta.dirname, "..", "..", "web", "dist"),
      verify: { rpcUrl: parameters.publicRpcUrl, factory: deployment.factoryAddress, factoryFromBlock: deployment.blockNumber, chainId },
    }),
  ];
}
