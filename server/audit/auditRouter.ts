import type { Request, Response } from "express";
import type { Address, PublicClient } from "viem";
import type { Metrics } from "../metrics/createMetrics.js";
import type { ChainReader } from "vermilion-verify/chainReader.js";
import type { ContentSource } from "vermilion-verify/content/contentSource.js";
import type { Queryable } from "../db/Database.js";
import type { RouteDoc } from "../http/routeDoc.js";
import type { ContentStore } from "../storage/contentStore.js";
import type { VerificationReport } from "vermilion-verify/report.js";
import type { ReportKey } from "./deriveReportKey.js";

import { Router } from "express";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { buildProvenanceBundle } from "vermilion-verify/bundle/buildProvenanceBundle.js";
import { createRpcChainReader } from "vermilion-verify/createRpcChainReader.js";
import { createVerificationSession } from "vermilion-verify/createVerificationSession.js";
import { serializeReport } from "vermilion-verify/serializeReport.js";
import { signReport } from "vermilion-verify/signReport.js";
import { verifyEdition } from "vermilion-verify/verifyEdition.js";
import { verifyToken } from "vermilion-verify/verifyToken.js";

import { VermilionError } from "../errors/VermilionError.js";
import { parseInput } from "../http/parseInput.js";
import { addressSchema, editionIdSchema, tokenIdSchema } from "../http/pathParameters.js";
import { readIndexedBlock } from "../provenance/readIndexedBlock.js";
import { createComputeOnce } from "./createComputeOnce.js";
import { createIndexedProvenanceSource } from "./createIndexedProvenanceSource.js";
import { createMediaDigestCache } from "./createMediaDigestCache.js";
import { createStoreContentSource } from "./createStoreContentSource.js";
import { createVerificationAdmission } from "./createVerificationAdmission.js";
import { createVerificationJobs } from "./createVerificationJobs.js";

export interface CreateAuditRouterParameters {
  db: Queryable;
  publicClient: PublicClient;
  chainId: bigint;
  factoryAddress: Address;
  /** The factory's deployment block, where the search for a collection's creation starts. */
  factoryBlock: bigint;
  store: Pick<ContentStore, "getBlock">;
  /** Bounds on verification work and its cache (VERIFICATION_* settings). */
  limits?: VerificationLimits;
  /** Who is asking, for the per-client bound; the client-identity middleware supplies the real one. */
  clientKey?: (request: Request, response: Response) => string;
  metrics?: Pick<Metrics, "verificationRuns" | "verificationBlocksRead" | "verificationQueue">;
  /**
   * The key every report served here is signed with (EIP-191, as `vermilion-verify --sign-key` signs), its
   * address published at `GET /api/report-key`; absent, reports are served unsigned.
   */
  reportKey?: ReportKey;
}

/** How much verification work a process takes on, and how much it keeps. */
export interface VerificationLimits {
  maxRunning: number;
  maxQueued: number;
  maxPerClient: number;
  /** Finished reports, bundles and job ids kept, in bytes. */
  cacheMaxBytes: number;
  /**
   * How long an edition-wide answer (bundle, edition job) keeps the block it was pinned to: within it,
   * every client gets the answer computed once at that block, however often the chain moves; 0 pins
   * each request to the index's latest block.
   */
  snapshotMs: number;
}

export const DEFAULT_VERIFICATION_LIMITS: VerificationLimits = { maxRunning: 2, maxQueued: 16, maxPerClient: 1, cacheMaxBytes: 256 * 1024 * 1024, snapshotMs: 30_000 };

// A job row outlives its id here (jobs are kept a day), so a cached id never points at a deleted job.
const JOB_ID_KEPT_MS = 3_600_000;

// Media digests are ~200 bytes each; this many is a few MB and covers every edition a platform serves.
const MEDIA_DIGESTS_KEPT = 10_000;

const tokenParams = z.object({
  address: addressSchema,
  tokenId: tokenIdSchema,
});
const editionParams = z.object({ address: addressSchema, editionId: editionIdSchema });
const jobParams = z.object({ jobId: z.uuid() });

type Answer = { kind: "report"; json: string } | { kind: "bundle"; car: Uint8Array; rootCid: string; proofsUnavailable: string | undefined } | { kind: "job"; jobId: string };

function sizeOfAnswer(answer: Answer): number {
  if (answer.kind === "report") return answer.json.length * 2;
  if (answer.kind === "bundle") return answer.car.byteLength;
  return 100;
}

/**
 * Runs the auditor's verifier (the same library as `vermilion-verify`) inside the platform: a token's
 * report, an edition's as a job with progress, and an edition's offline provenance bundle. Reads are
 * pinned to the block the index has reached, so `api.provenance` compares the index with the chain at
 * the same height. Each answer is computed once per (subject, pinned block) however many clients ask,
 * and new work is admitted within per-client and total bounds (429/503 with Retry-After past them).
 */
export function createAuditRouter(deps: CreateAuditRouterParameters): Router {
  const router = Router();
  const limits = deps.limits ?? DEFAULT_VERIFICATION_LIMITS;
  const clientKey = deps.clientKey ?? ((request: Request) => request.ip ?? "unknown");
  const jobs = createVerificationJobs({ db: deps.db });
  const admission = createVerificationAdmission({
    ...limits,
    onLoad: ({ running, queued }) => {
      deps.metrics?.verificationQueue.set({ state: "running" }, running);
      deps.metrics?.verificationQueue.set({ state: "queued" }, queued);
    },
  });
  /** A report as served: signed with the platform's report key when it has one. */
  const signed = <Report extends VerificationReport>(report: Report): Promise<Report> =>
    deps.reportKey ? signReport(report, deps.reportKey.privateKey) : Promise.resolve(report);
  const answers = createComputeOnce<Answer>({ maxSize: limits.cacheMaxBytes, sizeOf: sizeOfAnswer });
  const provenanceDeps = { db: deps.db, chainId: deps.chainId };
  const content = countingBlocks(createStoreContentSource(deps.store), () => deps.metrics?.verificationBlocksRead.inc());
  const api = createIndexedProvenanceSource(provenanceDeps);
  const mediaDigests = createMediaDigestCache({ maxEntries: MEDIA_DIGESTS_KEPT });
  const sessionDeps = { content, factory: deps.factoryAddress, factoryFromBlock: deps.factoryBlock, expectedChainId: Number(deps.chainId), api, mediaDigests };

  /** The block every answer is pinned to (the index's), named by number and hash so a reorg is a new key. */
  const pin = async (): Promise<{ key: string; chain: () => Promise<ChainReader> }> => {
    const indexed = await readIndexedBlock(provenanceDeps);
    if (indexed) {
      return { key: `${indexed.number}:${indexed.hash}`, chain: () => createRpcChainReader(deps.publicClient, { blockNumber: BigInt(indexed.number) }) };
    }
    const chain = await createRpcChainReader(deps.publicClient, {});
    return { key: `${chain.pinnedBlock.number}:${chain.pinnedBlock.hash}`, chain: async () => chain };
  };

  // On a busy chain the index moves every block, and a key of (edition, latest block) would rebuild an
  // edition's bundle for nearly every request. A bundle pinned a few seconds back is still a true,
  // verifiable statement about that block, so edition-wide work keeps its pin for `snapshotMs`.
  const snapshots = new LRUCache<string, Awaited<ReturnType<typeof pin>>>({ max: 10_000, ttl: Math.max(1, limits.snapshotMs) });
  const editionPin = async (subject: string) => {
    if (limits.snapshotMs === 0) return pin();
    const kept = snapshots.get(subject);
    if (kept) return kept;
    const pinned = await pin();
    snapshots.set(subject, pinned);
    return pinned;
  };

  /** A new computation takes a place in the admission queue first; refused, nothing is registered. */
  const admitted = <T>(request: Request, response: Response, subject: string, work: () => Promise<T>): Promise<T> => {
    const ticket = admission.reserve(clientKey(request, response));
    deps.metrics?.verificationRuns.inc({ subject });
    return ticket.run(work);
  };

  router.get("/api/tokens/:address/:tokenId/verify", async (request, response) => {
    const { address, tokenId } = parseInput(tokenParams, request.params, "params");
    const pinned = await pin();
    const answer = await answers.get(`token:${address}:${tokenId}@${pinned.key}`, () =>
      admitted(request, response, "token", async () => {
        const session = createVerificationSession({ ...sessionDeps, chain: await pinned.chain() }, address);
        return { kind: "report" as const, json: serializeReport(await signed(await verifyToken(session, tokenId))) };
      }),
    );
    if (answer.kind !== "report") throw new Error("a token verification key held another kind of answer");
    response.type("application/json").send(answer.json);
  });

  router.post("/api/collections/:address/editions/:editionId/verify", async (request, response) => {
    const { address, editionId } = parseInput(editionParams, request.params, "params");
    const pinned = await editionPin(`edition:${address}:${editionId}`);
    const key = `edition:${address}:${editionId}@${pinned.key}`;
    const answer = await answers.get(key, async () => {
      const ticket = admission.reserve(clientKey(request, response));
      try {
        const jobId = await jobs.start((onProgress) =>
          ticket
            .run(async () => {
              deps.metrics?.verificationRuns.inc({ subject: "edition" });
              const session = createVerificationSession({ ...sessionDeps, chain: await pinned.chain() }, address);
              return signed(await verifyEdition(session, { editionId, onProgress }));
            })
            // A failed job may be started again at the same block (the chain or store may be back).
            .catch((error: unknown) => {
              answers.forget(key);
              throw error;
            }),
        );
        return { kind: "job" as const, jobId };
      } catch (error) {
        ticket.cancel();
        throw error;
      }
    }, { ttlMs: JOB_ID_KEPT_MS });
    if (answer.kind !== "job") throw new Error("an edition verification key held another kind of answer");
    response.status(202).location(`/api/verification-jobs/${answer.jobId}`).json({ jobId: answer.jobId });
  });

  router.get("/api/report-key", (_request, response) => {
    if (!deps.reportKey) throw new VermilionError("NOT_FOUND", { resource: "a report-signing key on this platform" });
    response.json({ address: deps.reportKey.address, scheme: "EIP-191", checkWith: `vermilion-verify --check-report <report.json> --signer ${deps.reportKey.address}` });
  });

  router.get("/api/verification-jobs/:jobId", async (request, response) => {
    const { jobId } = parseInput(jobParams, request.params, "params");
    response.json(await jobs.get(jobId));
  });

  router.get("/api/collections/:address/editions/:editionId/bundle.car", async (request, response) => {
    const { address, editionId } = parseInput(editionParams, request.params, "params");
    const pinned = await editionPin(`bundle:${address}:${editionId}`);
    const answer = await answers.get(`bundle:${address}:${editionId}@${pinned.key}`, () =>
      admitted(request, response, "bundle", async () => {
        const { car, rootCid, proofsUnavailable } = await buildProvenanceBundle({
          chain: await pinned.chain(),
          content,
          factory: deps.factoryAddress,
          factoryFromBlock: deps.factoryBlock,
          contract: address,
          editionId,
          // Version 3: headers, block bodies and state proofs from the same endpoint, so a reader trusts one block hash, not us.
          proofs: { client: deps.publicClient },
        });
        return { kind: "bundle" as const, car, rootCid: rootCid.toString(), proofsUnavailable };
      }),
    );
    if (answer.kind !== "bundle") throw new Error("a bundle key held another kind of answer");
    response.setHeader("Content-Type", "application/vnd.ipld.car; version=1");
    response.setHeader("Content-Disposition", `attachment; filename="vermilion-${address}-${editionId}.car"`);
    response.setHeader("X-Bundle-Root", answer.rootCid);
    // A reader must know before trusting a block hash with it that this bundle carries no proofs (version 2).
    if (answer.proofsUnavailable) response.setHeader("X-Bundle-Proofs-Unavailable", answer.proofsUnavailable.slice(0, 300));
    response.status(200).end(Buffer.from(answer.car.buffer, answer.car.byteOffset, answer.car.byteLength));
  });

  return router;
}

/** The store's blocks, each read counted (what a repeated verification must not read again shows here). */
function countingBlocks(source: ContentSource, onBlock: () => void): ContentSource {
  return {
    description: source.description,
    async getBlock(cid) {
      onBlock();
      return source.getBlock(cid);
    },
  };
}

/** The routes above, for the OpenAPI document. */
export const auditRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/api/tokens/:address/:tokenId/verify",
    summary: "Verify a token from the chain and IPFS bytes (what vermilion-verify does), compared with the index: a canonical JSON report",
    auth: "none",
    params: tokenParams,
    responses: {
      200: "The verification report (verdict pass or fail)",
      400: "Malformed address or token id",
      429: "VERIFICATION_BUSY (this client's share of verification work is taken; Retry-After)",
      503: "CHAIN_UNAVAILABLE, or VERIFICATION_QUEUE_FULL (Retry-After)",
    },
  },
  {
    method: "post",
    path: "/api/collections/:address/editions/:editionId/verify",
    summary: "Verify every token of an edition as a background job",
    auth: "none",
    params: editionParams,
    responses: {
      202: "The job id (poll /api/verification-jobs/:jobId); the same id for the same edition at the same indexed block",
      400: "Malformed address or edition id",
      429: "VERIFICATION_BUSY (Retry-After)",
      503: "VERIFICATION_QUEUE_FULL (Retry-After)",
    },
  },
  {
    method: "get",
    path: "/api/report-key",
    summary: "The address whose EIP-191 signature every report served here carries: name it to vermilion-verify --check-report --signer",
    auth: "none",
    responses: { 200: "{ address, scheme, checkWith }", 404: "NOT_FOUND (this platform signs no reports)" },
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
    responses: {
      200: "application/vnd.ipld.car",
      400: "Malformed address or edition id",
      404: "EDITION_NOT_FOUND",
      429: "VERIFICATION_BUSY (Retry-After)",
      503: "VERIFICATION_QUEUE_FULL (Retry-After)",
    },
  },
];
