import type { Router } from "express";
import type { AuthenticatorDependencies } from "../auth/authenticate.js";
import type { RouteDoc } from "../http/routeDoc.js";
import type { TransferPolicy } from "vermilion-verify/shared/transferPolicy.js";
import type { CreatedEditionView, EditionDetailView, EditionListView, EditionView } from "../views/editionView.js";
import type { UploadSlots } from "../uploads/createUploadSlots.js";
import type { AcceptedEditionJobView } from "../views/editionJobView.js";
import type { CreateEditionDependencies, EditionFields, StoredEditionMedia } from "./createEdition.js";

import express from "express";
import { zeroAddress } from "viem";
import { z } from "zod";

import { createAuthenticator, principalOf } from "../auth/authenticate.js";
import { addressSchema, collectionParams, editionParams } from "../http/pathParameters.js";
import { findIssuerCollection } from "../collections/findIssuerCollection.js";
import { VermilionError } from "../errors/VermilionError.js";
import { parseInput } from "../http/parseInput.js";
import { externalUrlTemplateSchema } from "../storage/metadata/externalUrlTemplate.js";
import { TRANSFER_POLICIES } from "vermilion-verify/shared/transferPolicy.js";
import { completeEdition, storeEditionMedia } from "./createEdition.js";
import { DEFAULT_EDITION_BUDGET, DEFAULT_EDITION_JOB_THRESHOLD_DOCUMENTS } from "../config/editionBudgetSettings.js";
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH, checkEditionBudget } from "./editionBudget.js";
import { getEditionJob } from "./getEditionJob.js";
import { submitEditionJob } from "./submitEditionJob.js";
import { UPLOAD_RETRY_AFTER_SECONDS } from "../uploads/createUploadSlots.js";
import { receiveUpload } from "../uploads/receiveUpload.js";
import { readEditionFromChain } from "../chain/readEditionFromChain.js";
import { optionalIdempotencyHeaders, respondIdempotently } from "../idempotency/respondIdempotently.js";

export type EditionsRouterDependencies = CreateEditionDependencies & {
  adminApiKey?: AuthenticatorDependencies["adminApiKey"];
  /** Where uploads stream to, and the bound on how many are received at once. */
  uploads: { tempDir: string; slots: UploadSlots };
  /** Editions with more metadata documents than this go to a queued job (202); default 10,000. */
  jobThresholdDocuments?: number;
  /** Told when a job was recorded, so the runner starts it at once. */
  onEditionJobAccepted?: () => void;
};

const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
/** The largest body an edition request can honestly have: the media, an image poster, the text fields. */
const MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 50 * 1024 * 1024 + 1024 * 1024;

function jsonField<Schema extends z.ZodType>(schema: Schema) {
  return z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const MAX_HOLD_SECONDS = 4_294_967_295;

const editionJobParams = z.object({ jobId: z.uuid("must be a job id (UUID)") });

const editionFields = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(MAX_TITLE_LENGTH),
    description: z.string().max(MAX_DESCRIPTION_LENGTH).default(""),
    maxSupply: z.string().regex(/^[1-9][0-9]{0,5}$/, "must be an integer from 1 to 999999").transform(Number),
    royaltyBps: z
      .string()
      .regex(/^[0-9]{1,5}$/, "must be an integer")
      .transform(Number)
      .refine((bps) => bps <= 10_000, "must be at most 10000 (100%)")
      .default(0),
    royaltyReceiver: addressSchema.optional(),
    transferPolicy: z.enum(TRANSFER_POLICIES, { error: "must be free, hold or soulbound" }).default("free"),
    holdSeconds: z
      .string()
      .regex(/^[0-9]{1,10}$/, "must be an integer")
      .transform(Number)
      .refine((seconds) => seconds <= MAX_HOLD_SECONDS, `must be at most ${MAX_HOLD_SECONDS}`)
      .optional(),
    attributes: jsonField(
      // Counts and sizes are the edition budget's (EDITION_BUDGET_EXCEEDED names the limit).
      z.array(z.object({ trait_type: z.string().min(1), value: z.union([z.string(), z.number()]) }).strict()),
    ).default([]),
    license: z.string().trim().min(1).max(500).default("All rights reserved"),
    translations: jsonField(
      z.record(
        z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "locale keys look like zh-CN"),
        z
          .object({
            title: z.string().min(1).max(MAX_TITLE_LENGTH).optional(),
            description: z.string().max(MAX_DESCRIPTION_LENGTH).optional(),
          })
          .strict(),
      ),
    ).optional(),
    // Written into immutable metadata and opened by wallets: only http(s), checked with the placeholders filled.
    externalUrlTemplate: externalUrlTemplateSchema.optional(),
  })
  .strict()
  .refine((fields) => fields.royaltyBps === 0 || fields.royaltyReceiver !== undefined, {
    message: "is required when royaltyBps is above 0",
    path: ["royaltyReceiver"],
  })
  // A hold needs its length; the other policies have none (the contract refuses one).
  .refine((fields) => fields.transferPolicy !== "hold" || (fields.holdSeconds ?? 0) > 0, {
    message: "must be a positive integer when transferPolicy is hold",
    path: ["holdSeconds"],
  })
  .refine((fields) => fields.transferPolicy === "hold" || (fields.holdSeconds ?? 0) === 0, {
    message: "must be absent or 0 unless transferPolicy is hold",
    path: ["holdSeconds"],
  });


interface EditionRow {
  edition_id: bigint;
  name: string;
  description: string;
  max_supply: number;
  media_cid: string;
  media_type: string;
  media_sha256: string;
  thumbnail_cid: string | null;
  poster_cid: string | null;
  metadata_cid: string;
  localized_metadata_cid: string | null;
  royalty_receiver: string;
  royalty_bps: number;
  transfer_policy: TransferPolicy;
  hold_seconds: number;
  license: string;
  attributes: EditionView["attributes"];
  tx_hash: string;
  created_at: Date;
}

function toEditionView(collection: string, row: EditionRow): EditionView {
  return {
    collection,
    editionId: row.edition_id.toString(),
    name: row.name,
    description: row.description,
    maxSupply: row.max_supply,
    mediaCid: row.media_cid,
    mediaType: row.media_type,
    mediaSha256: row.media_sha256,
    thumbnailCid: row.thumbnail_cid,
    posterCid: row.poster_cid,
    metadataCid: row.metadata_cid,
    localizedMetadataCid: row.localized_metadata_cid,
    royaltyReceiver: row.royalty_receiver,
    royaltyBps: row.royalty_bps,
    transferPolicy: row.transfer_policy,
    holdSeconds: row.hold_seconds,
    license: row.license,
    attributes: row.attributes,
    txHash: row.tx_hash,
    createdAt: row.created_at.toISOString(),
  };
}

const EDITION_COLUMNS =
  "edition_id, name, description, max_supply, media_cid, media_type, media_sha256, thumbnail_cid, poster_cid, metadata_cid, localized_metadata_cid, royalty_receiver, royalty_bps, transfer_policy, hold_seconds, license, attributes, tx_hash, created_at";

/** Issuers create editions from an upload; anyone lists and reads them (with live supply from the chain). */
export function createEditionsRouter(deps: EditionsRouterDependencies): Router {
  const { db, chain } = deps;
  const { requireIssuer } = createAuthenticator(deps);
  const router = express.Router();

  router.post("/api/collections/:address/editions", requireIssuer, async (request, response) => {
    const { address } = parseInput(collectionParams, request.params, "params");
    const collection = await findIssuerCollection(db, chain.chainId, address, principalOf(response));
    // Refused before a byte of the body is read: a declared length past any honest upload, or no free slot.
    const declaredBytes = Number(request.headers["content-length"] ?? 0);
    if (declaredBytes > MAX_REQUEST_BYTES) {
      response.setHeader("Connection", "close");
      throw new VermilionError("PAYLOAD_TOO_LARGE", { limit: `${MAX_REQUEST_BYTES} bytes` });
    }
    let release: () => void;
    try {
      release = deps.uploads.slots.acquire();
    } catch (error) {
      response.setHeader("Retry-After", String(UPLOAD_RETRY_AFTER_SECONDS));
      response.setHeader("Connection", "close");
      throw error;
    }
    response.on("close", release);
    let upload: Awaited<ReturnType<typeof receiveUpload>>;
    try {
      upload = await receiveUpload({ tempDir: deps.uploads.tempDir }, request, { fileFields: ["media", "poster"], maxFileBytes: MAX_UPLOAD_BYTES });
    } catch (error) {
      // The rest of the body is not read: the connection closes after the answer.
      response.setHeader("Connection", "close");
      throw error;
    }
    // The request's identity is its fields as sent and its files' SHA-256, known once the body is received:
    // the key is checked here, before anything is stored or sent, so a retried upload creates nothing new.
    const identity = {
      params: { address },
      fields: upload.fields,
      files: Object.fromEntries(Object.entries(upload.files).map(([field, file]) => [field, file.scanned.sha256])),
    };
    try {
      await respondIdempotently(deps, request, response, { operation: "POST /api/collections/:address/editions", request: identity }, async () => {
        let storedMedia: StoredEditionMedia;
        let edition: EditionFields;
        let documentCount: number;
        try {
          const fields = parseInput(editionFields, upload.fields, "body");
          const media = upload.files.media;
          if (!media) throw new VermilionError("VALIDATION_FAILED", { field: "body.media", reason: "a file is required" });
          edition = {
            collection: address,
            name: fields.name,
            description: fields.description,
            maxSupply: fields.maxSupply,
            royaltyBps: fields.royaltyBps,
            royaltyReceiver: fields.royaltyReceiver ?? zeroAddress,
            transferPolicy: fields.transferPolicy,
            holdSeconds: fields.holdSeconds ?? 0,
            attributes: fields.attributes,
            license: fields.license,
            ...(fields.translations ? { translations: fields.translations } : {}),
            ...(fields.externalUrlTemplate ? { externalUrlTemplate: fields.externalUrlTemplate } : {}),
          };
          // Before anything is stored or sent: an edition over its budget writes nothing.
          ({ documentCount } = checkEditionBudget(deps.budget ?? DEFAULT_EDITION_BUDGET, edition));
          storedMedia = await storeEditionMedia(deps, {
            collection: address,
            media,
            ...(upload.files.poster ? { poster: upload.files.poster } : {}),
          });
        } finally {
          await upload.discard();
        }
        const created = new Date().toISOString();
        if (documentCount > (deps.jobThresholdDocuments ?? DEFAULT_EDITION_JOB_THRESHOLD_DOCUMENTS)) {
          // Large: the metadata is built by the job runner, not inside the request.
          const { jobId } = await submitEditionJob(deps, {
            chainId: chain.chainId,
            issuerId: collection.issuerId,
            request: { edition, media: storedMedia, created },
            documentsTotal: documentCount,
          });
          deps.onEditionJobAccepted?.();
          const location = `/api/edition-jobs/${jobId}`;
          return {
            status: 202,
            body: { jobId, state: "queued", progress: { documentsWritten: 0, documentsTotal: documentCount }, location } satisfies AcceptedEditionJobView,
          };
        }
        const result = await completeEdition(deps, { edition, media: storedMedia, created });
        return { status: 201, body: { collection: address, ...result } satisfies CreatedEditionView };
      });
    } finally {
      // A replayed or refused request never reached the discard above.
      await upload.discard();
    }
  });

  router.get("/api/edition-jobs/:jobId", requireIssuer, async (request, response) => {
    const { jobId } = parseInput(editionJobParams, request.params, "params");
    const job = await getEditionJob(deps, { chainId: chain.chainId, jobId });
    const principal = principalOf(response);
    // Another issuer's job is answered as absent, not forbidden: job ids are not to be probed.
    if (principal.kind === "issuer" && principal.issuerId !== job.issuerId) {
      throw new VermilionError("NOT_FOUND", { resource: `edition job ${jobId}` });
    }
    response.json(job);
  });

  router.get("/api/collections/:address/editions", async (request, response) => {
    const { address } = parseInput(collectionParams, request.params, "params");
    const { rows } = await db.query<EditionRow>(
      `SELECT ${EDITION_COLUMNS} FROM editions WHERE chain_id = $1 AND collection_address = $2 ORDER BY edition_id`,
      [BigInt(chain.chainId), address],
    );
    response.json({ editions: rows.map((row) => toEditionView(address, row)) } satisfies EditionListView);
  });

  router.get("/api/collections/:address/editions/:editionId", async (request, response) => {
    const { address, editionId } = parseInput(editionParams, request.params, "params");
    const { rows } = await db.query<EditionRow>(
      `SELECT ${EDITION_COLUMNS} FROM editions WHERE chain_id = $1 AND collection_address = $2 AND edition_id = $3`,
      [BigInt(chain.chainId), address, editionId],
    );
    if (!rows[0]) {
      throw new VermilionError("EDITION_NOT_FOUND", { editionId: editionId.toString(), collection: address });
    }
    const onChain = await readEditionFromChain(chain, address, editionId);
    response.json({
      ...toEditionView(address, rows[0]),
      mintedCount: Number(onChain.mintedCount),
      sealed: onChain.isSealed,
    } satisfies EditionDetailView);
  });

  return router;
}

/** The routes above, for the OpenAPI document. */
export const editionsRouteDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/api/collections/:address/editions",
    summary:
      "Create an edition from a multipart/form-data upload: file `media` (and `poster` for video, audio, 3D), " +
      "fields name, description, maxSupply, royaltyBps, royaltyReceiver, transferPolicy (free | hold | soulbound), " +
      "holdSeconds (a positive integer with hold, absent or 0 otherwise), " +
      "attributes (JSON array), license, translations (JSON), externalUrlTemplate",
    auth: "issuer",
    params: collectionParams,
    headers: optionalIdempotencyHeaders,
    responses: {
      201:
        "{ editionId, mediaCid, metadataCid, contentSha256, txHash, … }. With an Idempotency-Key, a retry of the same upload (same fields, " +
        "same files by SHA-256) gets the first answer again (201 or 202, Idempotent-Replayed: true) and creates nothing",
      202:
        "A large edition (more metadata documents, serials × (1 + locales), than EDITION_JOB_THRESHOLD_DOCUMENTS): the media is stored " +
        "and a job builds the metadata and creates the edition; { jobId, state, progress, location }, Location: /api/edition-jobs/:jobId",
      400: "Invalid field (details.field; externalUrlTemplate must be an http(s) URL) or MEDIA_EMPTY",
      401: "No valid key",
      403: "Another issuer's collection",
      404: "No such collection",
      409: "IDEMPOTENCY_KEY_REUSED (the key was sent with another upload) or IDEMPOTENCY_REQUEST_IN_PROGRESS (its first upload is still being created)",
      413:
        "MEDIA_TOO_LARGE, PAYLOAD_TOO_LARGE, or EDITION_BUDGET_EXCEEDED (details.limit: metadataBytes, documents, locales, attributes, " +
        "attributeBytes, titleLength or descriptionLength; details.max, details.requested), refused before anything is stored",
      415: "MEDIA_TYPE_UNSUPPORTED, MEDIA_ACTIVE_CONTENT or not multipart",
      422: "MEDIA_TRUNCATED, MEDIA_MALFORMED, MEDIA_DECLARED_SIZE_TOO_LARGE (a canvas, frame count, chunk or box over its limit) or MEDIA_DECODE_BUDGET_EXCEEDED",
      503: "UPLOADS_BUSY, with Retry-After: too many uploads in progress",
    },
  },
  {
    method: "get",
    path: "/api/edition-jobs/:jobId",
    summary:
      "An edition job: state (queued, building, sending, completed, failed), progress { documentsWritten, documentsTotal }, " +
      "error, and once completed `edition`, the body the synchronous route answers",
    auth: "issuer",
    params: editionJobParams,
    responses: { 200: "The job", 400: "Malformed job id", 401: "No valid key", 404: "No such job (or another issuer's)" },
  },
  {
    method: "get",
    path: "/api/collections/:address/editions",
    summary: "The collection's editions",
    auth: "none",
    params: collectionParams,
    responses: { 200: "Editions", 400: "Malformed address" },
  },
  {
    method: "get",
    path: "/api/collections/:address/editions/:editionId",
    summary: "One edition, with minted count and sealed state from the chain",
    auth: "none",
    params: editionParams,
    responses: { 200: "The edition", 400: "Malformed input", 404: "EDITION_NOT_FOUND" },
  },
];
