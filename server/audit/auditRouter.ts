import type { Address, PublicClient } from "viem";
import type { Queryable } from "../db/Database.js";
import type { RouteDoc } from "../http/routeDoc.js";
import type { ContentStore } from "../storage/contentStore.js";

import { Router } from "express";
import { z } from "zod";

import { parseInput } from "../http/parseInput.js";
import { addressSchema, editionIdSchema, tokenIdSchema } from "../http/pathParameters.js";
import { readIndexedBlock } from "../provenance/readIndexedBlock.js";
import { buildProvenanceBundle } from "../verifier/bundle/buildProvenanceBundle.js";
import { createRpcChainReader } from "../verifier/createRpcChainReader.js";
import { createVerificationSession } from "../verifier/createVerificationSession.js";
import { serializeReport } from "../verifier/serializeReport.js";
import { verifyEdition } from "../verifier/verifyEdition.js";
import { verifyToken } from "../verifier/verifyToken.js";
import { createIndexedProvenanceSource } from "./createIndexedProvenanceSource.js";
import { createStoreContentSource } from "./createStoreContentSource.js";
import { createVerificationJobs } from "./createVerificationJobs.js";

export interface CreateAuditRouterParameters {
  db: Queryable;
  publicClient: PublicClient;
  chainId: bigint;
  factoryAddress: Address;
  /** The factory's deployment block, where the search for a collection's creation starts. */
  factoryBlock: bigint;
  store: Pick<ContentStore, "getBlock">;
}

const tokenParams = z.object({
  address: addressSchema,
  tokenId: tokenIdSchema,
});
const editionParams = z.object({ address: addressSchema, editionId: editionIdSchema });
const jobParams = z.object({ jobId: z.uuid() });

/**
 * Runs the auditor's verifier (the same library as `vermilion-verify`) inside the platform: a token's
 * report, an edition's as a job with progress, and an edition's offline provenance bundle. Reads are
 * pinned to the block the index has reached, so `api.provenance` compares the index with the chain at
 * the same height.
 */
export function createAuditRouter(deps: CreateAuditRouterParameters): Router {
  const router = Router();
  const jobs = createVerificationJobs({ db: deps.db });
  const provenanceDeps = { db: deps.db, chainId: deps.chainId };
  const content = createStoreContentSource(deps.store);
  const api = createIndexedProvenanceSource(provenanceDeps);

  const pinnedChain = async () => {
    const indexed = await readIndexedBlock(provenanceDeps);
    return createRpcChainReader(deps.publicClient, indexed ? { blockNumber: BigInt(indexed.number) } : {});
  };

  router.get("/api/tokens/:address/:tokenId/verify", async (request, response) => {
    const { address, tokenId } = parseInput(tokenParams, request.params, "params");
    const session = createVerificationSession({ chain: await pinnedChain(), content, factory: deps.factoryAddress, factoryFromBlock: deps.factoryBlock, expectedChainId: Number(deps.chainId), api }, address);
    const report = await verifyToken(session, tokenId);
    response.type("application/json").send(serializeReport(report));
  });

  router.post("/api/collections/:address/editions/:editionId/verify", async (request, response) => {
    const { address, editionId } = parseInput(editionParams, request.params, "params");
    const chain = await pinnedChain();
    const session = createVerificationSession({ chain, content, factory: deps.factoryAddress, factoryFromBlock: deps.factoryBlock, expectedChainId: Number(deps.chainId), api }, address);
    const jobId = await jobs.start((onProgress) => verifyEdition(session, { editionId, onProgress }));
    response.status(202).location(`/api/verification-jobs/${jobId}`).json({ jobId });
  });

  router.get("/api/verification-jobs/:jobId", async (request, response) => {
    const { jobId } = parseInput(jobParams, request.params, "params");
    response.json(await jobs.get(jobId));
  });

  router.get("/api/collections/:address/editions/:editionId/bundle.car", async (request, response) => {
    const { address, editionId } = parseInput(editionParams, request.params, "params");
    const { car, rootCid } = await buildProvenanceBundle({
      chain: await pinnedChain(),
      content,
      factory: deps.factoryAddress,
      factoryFromBlock: deps.factoryBlock,
      contract: address,
      editionId,
    });
    response.setHeader("Content-Type", "application/vnd.ipld.car; version=1");
    response.setHeader("Content-Disposition", `attachment; filename="vermilion-${address}-${editionId}.car"`);
    response.setHeader("X-Bundle-Root", rootCid.toString());
    response.status(200).end(Buffer.from(car));
  });

  return router;
}

/** The routes above, for the OpenAPI document. */
export const auditRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/tokens/:address/:tokenId/verify",
    summary: "Verify a token from the chain and IPFS bytes (what vermilion-verify does), compared with the index: a canonical JSON report",
    auth: "none",
    params: tokenParams,
    responses: { 200: "The verification report (verdict pass or fail)", 400: "Malformed address or token id", 503: "CHAIN_UNAVAILABLE" },
  },
  {
    method: "post",
    path: "/api/collections/:address/editions/:editionId/verify",
    summary: "Verify every token of an edition as a background job",
    auth: "none",
    params: editionParams,
    responses: { 202: "The job id (poll /api/verification-jobs/:jobId)", 400: "Malformed address or edition id", 429: "VERIFICATION_BUSY" },
  },
  {
    method: "get",
    path: "/api/verification-jobs/:jobId",
    summary: "An edition verification job: state, progress, and when completed the reports and verdict",
    auth: "none",
    params: jobParams,
    responses: { 200: "The job", 400: "Malformed job id", 404: "VERIFICATION_JOB_NOT_FOUND" },
  },
  {
    method: "get",
    path: "/api/collections/:address/editions/:editionId/bundle.car",
    summary: "An edition's offline provenance bundle (CAR): chain answers, metadata and media, for vermilion-verify --car",
    auth: "none",
    params: editionParams,
    responses: { 200: "application/vnd.ipld.car", 400: "Malformed address or edition id", 404: "EDITION_NOT_FOUND" },
  },
];
