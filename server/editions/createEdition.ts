import type { Address, Hex } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLock } from "../cluster/createWriteLock.js";
import type { Database } from "../db/Database.js";
import type { ContentStore } from "../storage/contentStore.js";
import type { MediaType } from "../storage/media/mediaTypes.js";
import type { TransferPolicy } from "../tokens/transferPolicy.js";

import { parseEventLogs } from "viem";

import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { sendCollectionTransaction } from "../chain/sendCollectionTransaction.js";
import { VermilionError } from "../errors/VermilionError.js";
import { addMedia } from "../storage/media/addMedia.js";
import { DETECTION_HEAD_BYTES, detectMediaType } from "../storage/media/detectMediaType.js";
import { mediaTypes } from "../storage/media/mediaTypes.js";
import { buildEditionMetadata } from "../storage/metadata/buildEditionMetadata.js";
import { recordMetadataTemplate } from "./recordMetadataTemplate.js";
import { transferPolicyCode } from "../tokens/transferPolicy.js";

export interface CreateEditionParameters {
  collection: Address;
  name: string;
  description: string;
  maxSupply: number;
  royaltyBps: number;
  royaltyReceiver: Address;
  transferPolicy: TransferPolicy;
  /** How long a token is locked after each mint or transfer under `hold` (positive); 0 otherwise. */
  holdSeconds: number;
  attributes: Array<{ trait_type: string; value: string | number }>;
  license: string;
  /** Translated name/description per locale (ERC-1155 `localization`). */
  translations?: Record<string, { title?: string; description?: string }>;
  media: Uint8Array[];
  /** A still image for galleries; required for video, audio and 3D media. */
  poster?: Uint8Array[];
  externalUrlTemplate?: string;
}

export interface CreateEditionReturnType {
  editionId: string;
  mediaCid: string;
  mediaType: MediaType;
  mediaSha256: string;
  /** The value stored on-chain: 0x + the media's SHA-256. */
  contentSha256: Hex;
  thumbnailCid: string | null;
  posterCid: string | null;
  metadataCid: string;
  localizedMetadataCid: string | null;
  txHash: Hex;
  tokenUriOfFirstSerial: string;
}

export interface CreateEditionDependencies {
  db: Database;
  chain: ChainClients;
  writeLock: WriteLock;
  store: ContentStore;
}

/** Edition creation per collection is serialized: the metadata names the edition id before the chain assigns it. */
const collectionLocks = new Map<string, Promise<unknown>>();
function withCollectionLock<T>(collection: string, work: () => Promise<T>): Promise<T> {
  const previous = collectionLocks.get(collection) ?? Promise.resolve();
  const run = previous.then(work, work);
  collectionLocks.set(collection, run.catch(() => undefined));
  return run;
}

/**
 * Creates an edition end to end: validates and stores the media (magic bytes, structure, SHA-256 in
 * one pass), builds one metadata document per serial into one IPFS directory, and creates the edition
 * on-chain with the media's CID and plain SHA-256 as its commitment. The metadata names the edition id,
 * which is predicted (editionCount + 1); if another writer took it meanwhile, the metadata is rebuilt
 * for the id the chain assigned and set on the edition before returning.
 *
 * Content stored before a chain failure stays pinned (it may be shared with other editions, and a
 * retry reuses it): a leak at worst, never a loss.
 */
export async function createEdition(
  deps: CreateEditionDependencies,
  parameters: CreateEditionParameters,
): Promise<CreateEditionReturnType> {
  const { chain, store, db } = deps;
  // Checks that need no storage come first, so a refused request stores nothing.
  const head = Buffer.concat(parameters.media).subarray(0, DETECTION_HEAD_BYTES);
  const detected = detectMediaType(head);
  if (detected.accepted && mediaTypes[detected.mediaType].kind !== "image" && !parameters.poster) {
    throw new VermilionError("VALIDATION_FAILED", {
      field: "body.poster",
      reason: `is required for ${mediaTypes[detected.mediaType].kind} media`,
    });
  }
  const media = await addMedia({ store }, { content: parameters.media, pin: { label: `media of ${parameters.collection}` } });
  const kind = mediaTypes[media.mediaType].kind;
  let posterCid: string | undefined;
  if (parameters.poster) {
    const poster = await addMedia({ store }, { content: parameters.poster, pin: { label: `poster of ${parameters.collection}` } });
    if (mediaTypes[poster.mediaType].kind !== "image") {
      throw new VermilionError("VALIDATION_FAILED", { field: "body.poster", reason: "must be an image" });
    }
    posterCid = poster.cid.toString();
  } else if (kind !== "image") {
    throw new VermilionError("VALIDATION_FAILED", { field: "body.poster", reason: `is required for ${kind} media` });
  }

  return withCollectionLock(parameters.collection, async () => {
    const created = new Date().toISOString();
    const buildMetadata = (editionId: bigint) =>
      buildEditionMetadata(
        { store },
        {
          edition: {
            collection: parameters.collection,
            editionId: editionId.toString(),
            title: parameters.name,
            description: parameters.description,
            maxSupply: parameters.maxSupply,
            issuer: chain.walletClient.account.address,
            license: parameters.license,
            created,
            media: { cid: media.cid.toString(), sha256: media.sha256, kind },
            ...(posterCid ? { posterCid } : {}),
            ...(parameters.externalUrlTemplate ? { externalUrlTemplate: parameters.externalUrlTemplate } : {}),
            attributes: parameters.attributes,
            ...(parameters.translations && Object.keys(parameters.translations).length > 0
              ? { locales: { default: "en", translations: parameters.translations } }
              : {}),
          },
          pin: { label: `metadata of ${parameters.collection} edition ${editionId}` },
        },
      );
    const predictedId =
      (await chain.publicClient.readContract({
        address: parameters.collection,
        abi: vermilionCollectionAbi,
        functionName: "editionCount",
      })) + 1n;
    let metadata = await buildMetadata(predictedId);
    const contentSha256 = `0x${media.sha256}` as Hex;
    const { txHash, receipt } = await sendCollectionTransaction(deps, {
      collection: parameters.collection,
      functionName: "createEdition",
      args: [
        {
          maxSupply: parameters.maxSupply,
          metadataCid: metadata.metadataCid.toString(),
          mediaCid: media.cid.toString(),
          contentSha256,
          royaltyReceiver: parameters.royaltyReceiver,
          royaltyBps: parameters.royaltyBps,
          transferPolicy: transferPolicyCode(parameters.transferPolicy),
          holdSeconds: parameters.holdSeconds,
        },
      ],
    });
    const [event] = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "EditionCreated", logs: receipt.logs });
    if (!event) throw new VermilionError("INTERNAL", {}, { cause: new Error(`no EditionCreated in ${txHash}`) });
    const editionId = event.args.editionId;
    if (editionId !== predictedId) {
      metadata = await buildMetadata(editionId);
      await sendCollectionTransaction(deps, {
        collection: parameters.collection,
        functionName: "setEditionMetadata",
        args: [editionId, metadata.metadataCid.toString()],
        editionId,
      });
    }
    await recordMetadataTemplate({ db }, metadata);
    await db.query(
      `INSERT INTO editions (chain_id, collection_address, edition_id, name, description, max_supply, media_cid, media_type,
         media_sha256, thumbnail_cid, poster_cid, metadata_cid, localized_metadata_cid, royalty_receiver, royalty_bps,
         transfer_policy, hold_seconds, license, attributes, tx_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [
        BigInt(chain.chainId),
        parameters.collection,
        editionId,
        parameters.name,
        parameters.description,
        parameters.maxSupply,
        media.cid.toString(),
        media.mediaType,
        media.sha256,
        media.thumbnail?.cid.toString() ?? null,
        posterCid ?? null,
        metadata.metadataCid.toString(),
        metadata.localizedCid?.toString() ?? null,
        parameters.royaltyReceiver,
        parameters.royaltyBps,
        parameters.transferPolicy,
        parameters.holdSeconds,
        parameters.license,
        JSON.stringify(parameters.attributes),
        txHash,
      ],
    );
    return {
      editionId: editionId.toString(),
      mediaCid: media.cid.toString(),
      mediaType: media.mediaType,
      mediaSha256: media.sha256,
      contentSha256,
      thumbnailCid: media.thumbnail?.cid.toString() ?? null,
      posterCid: posterCid ?? null,
      metadataCid: metadata.metadataCid.toString(),
      localizedMetadataCid: metadata.localizedCid?.toString() ?? null,
      txHash,
      tokenUriOfFirstSerial: metadata.tokenUri(1),
    };
  });
}
