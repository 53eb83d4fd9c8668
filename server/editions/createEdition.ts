import type { Address, Hex } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLock } from "../cluster/createWriteLock.js";
import type { Database } from "../db/Database.js";
import type { ContentStore } from "../storage/contentStore.js";
import type { MediaType } from "../storage/media/mediaTypes.js";
import type { MediaFile } from "../storage/media/writeMediaFile.js";
import type { TransferPolicy } from "../tokens/transferPolicy.js";

import { parseEventLogs } from "viem";

import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { sendCollectionTransaction } from "../chain/sendCollectionTransaction.js";
import { VermilionError } from "../errors/VermilionError.js";
import { checkMediaFile } from "../storage/media/checkMediaFile.js";
import { mediaTypes } from "../storage/media/mediaTypes.js";
import { storeMediaFile } from "../storage/media/storeMediaFile.js";
import { buildEditionMetadata } from "../storage/metadata/buildEditionMetadata.js";
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
  /** The media, already scanned while it streamed into a temporary file (the caller removes the file). */
  media: MediaFile;
  /** A still image for galleries; required for video, audio and 3D media. */
  poster?: MediaFile;
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
 * Creates an edition end to end: checks the scanned media (and poster) as whole files, stores them,
 * builds one metadata document per serial into one IPFS directory, and creates the edition
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
  // Every check that needs no chain runs before anything is stored or sent: a refused upload leaves no trace.
  const kind = mediaTypes[parameters.media.scanned.mediaType].kind;
  if (parameters.poster && mediaTypes[parameters.poster.scanned.mediaType].kind !== "image") {
    throw new VermilionError("VALIDATION_FAILED", { field: "body.poster", reason: "must be an image" });
  }
  if (!parameters.poster && kind !== "image") {
    throw new VermilionError("VALIDATION_FAILED", { field: "body.poster", reason: `is required for ${kind} media` });
  }
  const checkedMedia = await checkMediaFile({ file: parameters.media });
  // The poster's header is read (its size checked) but it gets no thumbnail of its own: it is one.
  if (parameters.poster) await checkMediaFile({ file: parameters.poster, thumbnail: false });

  const media = await storeMediaFile(
    { store },
    { file: parameters.media, pin: { label: `media of ${parameters.collection}` }, ...(checkedMedia.thumbnail ? { thumbnail: checkedMedia.thumbnail } : {}) },
  );
  const posterCid = parameters.poster
    ? (await storeMediaFile({ store }, { file: parameters.poster, pin: { label: `poster of ${parameters.collection}` } })).cid.toString()
    : undefined;

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
