import type { Address, Hex } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLocks } from "../cluster/createWriteLock.js";
import type { Database } from "../db/Database.js";
import type { GasFunder } from "../gas/createGasFunder.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import type { ContentStore } from "../storage/contentStore.js";
import type { MediaType } from "../storage/media/mediaTypes.js";
import type { MediaFile } from "../storage/media/writeMediaFile.js";
import type { BuildEditionMetadataReturnType } from "../storage/metadata/buildEditionMetadata.js";
import type { TransferPolicy } from "vermilion-verify/shared/transferPolicy.js";
import type { EditionBudget } from "../config/editionBudgetSettings.js";

import { parseEventLogs } from "viem";

import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { sendCollectionTransaction } from "../issuers/accounts/sendCollectionTransaction.js";
import { toStoredAddress } from "../chain/toStoredAddress.js";
import { VermilionError } from "../errors/VermilionError.js";
import { checkMediaFile } from "../storage/media/checkMediaFile.js";
import { mediaTypes } from "../storage/media/mediaTypes.js";
import { storeMediaFile } from "../storage/media/storeMediaFile.js";
import { buildEditionMetadata } from "../storage/metadata/buildEditionMetadata.js";
import { recordMetadataTemplate } from "./recordMetadataTemplate.js";
import { transferPolicyCode } from "vermilion-verify/shared/transferPolicy.js";
import { DEFAULT_EDITION_BUDGET } from "../config/editionBudgetSettings.js";
import { checkEditionBudget } from "./editionBudget.js";

/** Everything about an edition except its media: what a queued job stores and later completes. */
export interface EditionFields {
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
  externalUrlTemplate?: string;
}

export interface CreateEditionParameters extends EditionFields {
  /** The media, already scanned while it streamed into a temporary file (the caller removes the file). */
  media: MediaFile;
  /** A still image for galleries; required for video, audio and 3D media. */
  poster?: MediaFile;
}

type MediaKind = (typeof mediaTypes)[MediaType]["kind"];

/** The edition's media once stored and pinned: plain data, so a job can keep it in its row. */
export interface StoredEditionMedia {
  cid: string;
  mediaType: MediaType;
  kind: MediaKind;
  /** Plain SHA-256 of the media, lowercase hex. */
  sha256: string;
  thumbnailCid: string | null;
  posterCid: string | null;
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
  /** The collection's operating key sends its editions (`findCollectionSigner`), with its own write lock. */
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
  /** Tops up the operating key before it sends. */
  gasFunder: GasFunder;
  store: ContentStore;
  /** What one edition may write; DEFAULT_EDITION_BUDGET when absent. */
  budget?: EditionBudget;
}

/**
 * How a durable job follows and resumes `completeEdition`; the synchronous path has none. Each hook is
 * awaited, so a job records a step before the next one starts.
 */
export interface EditionJournal {
  /** Metadata documents written so far (throttled by the builder). */
  onProgress(documentsWritten: number): Promise<void>;
  /** The edition an earlier attempt of this job already created on chain, if any (call under no lock). */
  findCreatedEdition(): Promise<{ editionId: bigint; txHash: Hex } | undefined>;
  /** Records what is about to be sent, before it is sent; throws (LEASE_LOST) if this instance may no longer send. */
  beforeSend(sending: { predictedEditionId: bigint; metadataCid: string; fromBlock: bigint }): Promise<void>;
  /** Records the edition the chain assigned, once the transaction is mined. */
  afterSend(sent: { editionId: bigint; txHash: Hex }): Promise<void>;
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
 * Checks the scanned media (and poster) as whole files and stores them. Every check that needs no
 * chain runs before anything is stored or sent: a refused upload leaves no trace.
 */
export async function storeEditionMedia(
  deps: { store: ContentStore },
  parameters: Pick<CreateEditionParameters, "collection" | "media" | "poster">,
): Promise<StoredEditionMedia> {
  const { store } = deps;
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
    : null;
  return {
    cid: media.cid.toString(),
    mediaType: media.mediaType,
    kind,
    sha256: media.sha256,
    thumbnailCid: media.thumbnail?.cid.toString() ?? null,
    posterCid,
  };
}

/**
 * Creates an edition end to end: checks it against the budget, stores the media, then completes it
 * (`completeEdition`). Content stored before a chain failure stays pinned (it may be shared with other
 * editions, and a retry reuses it): a leak at worst, never a loss.
 */
export async function createEdition(
  deps: CreateEditionDependencies,
  parameters: CreateEditionParameters,
): Promise<CreateEditionReturnType> {
  checkEditionBudget(deps.budget ?? DEFAULT_EDITION_BUDGET, parameters);
  const { media: mediaFile, poster, ...edition } = parameters;
  const media = await storeEditionMedia(deps, { collection: parameters.collection, media: mediaFile, ...(poster ? { poster } : {}) });
  return completeEdition(deps, { edition, media, created: new Date().toISOString() });
}

/**
 * The address the edition's documents name as its issuer: the collection's issuer's own (issuers.address),
 * not the key that happens to send. The platform's key only for an issuer whose address is not filled
 * in yet (registered before issuer accounts; the server fills it in at start).
 */
async function findIssuerAddress(deps: { db: Database; chain: ChainClients }, collection: Address): Promise<Address> {
  const { rows } = await deps.db.query<{ address: Address | null }>(
    `SELECT i.address FROM collections c JOIN issuers i ON i.issuer_id = c.issuer_id WHERE c.chain_id = $1 AND c.address = $2`,
    [BigInt(deps.chain.chainId), toStoredAddress(collection)],
  );
  return rows[0]?.address ?? deps.chain.walletClient.account.address;
}

export interface CompleteEditionParameters {
  edition: EditionFields;
  media: StoredEditionMedia;
  /** ISO 8601 creation time written into every document (fixed per edition, so a rebuild gives the same CIDs). */
  created: string;
}

/**
 * The part of edition creation after the media is stored, shared by the request and the queued job:
 * builds one metadata document per serial (and per locale) into IPFS directories, creates the edition
 * on-chain with the media's CID and plain SHA-256 as its commitment, and records the edition. The
 * metadata names the edition id, which is predicted (editionCount + 1); if another writer took it
 * meanwhile, the metadata is rebuilt for the id the chain assigned and set on the edition.
 *
 * With a `journal` (a job), an edition an earlier attempt already created is found and completed
 * instead of created again, and every step is recorded before the next.
 */
export async function completeEdition(
  deps: CreateEditionDependencies,
  parameters: CompleteEditionParameters,
  journal?: EditionJournal,
): Promise<CreateEditionReturnType> {
  const { chain, store, db } = deps;
  const { edition, media, created } = parameters;
  const issuer = await findIssuerAddress({ db, chain }, edition.collection);
  const buildMetadata = (editionId: bigint) =>
    buildEditionMetadata(
      { store },
      {
        edition: {
          collection: edition.collection,
          editionId: editionId.toString(),
          title: edition.name,
          description: edition.description,
          maxSupply: edition.maxSupply,
          issuer,
          license: edition.license,
          created,
          media: { cid: media.cid, sha256: media.sha256, kind: media.kind },
          ...(media.posterCid ? { posterCid: media.posterCid } : {}),
          ...(edition.externalUrlTemplate ? { externalUrlTemplate: edition.externalUrlTemplate } : {}),
          attributes: edition.attributes,
          ...(edition.translations && Object.keys(edition.translations).length > 0
            ? { locales: { default: "en", translations: edition.translations } }
            : {}),
        },
        pin: { label: `metadata of ${edition.collection} edition ${editionId}` },
        ...(journal ? { onProgress: (written: number) => journal.onProgress(written) } : {}),
      },
    );
  const contentSha256 = `0x${media.sha256}` as Hex;
  const predictEditionId = async () =>
    (await chain.publicClient.readContract({
      address: edition.collection,
      abi: vermilionCollectionAbi,
      functionName: "editionCount",
    })) + 1n;
  let metadata: BuildEditionMetadataReturnType | undefined;
  let built: { predictedId: bigint; metadata: BuildEditionMetadataReturnType } | undefined;
  // 1. A resumed job whose edition is already on chain completes that edition.
  let sent = await journal?.findCreatedEdition();
  // 2. A job builds its (large) metadata before taking the collection's lock, so the collection's small
  //    editions are not held up behind it; if one takes the predicted id meanwhile, it rebuilds below.
  if (!sent && journal) {
    const predictedId = await predictEditionId();
    built = { predictedId, metadata: await buildMetadata(predictedId) };
  }
  return withCollectionLock(edition.collection, async () => {
    if (!sent) {
      const predictedId = await predictEditionId();
      metadata = built?.predictedId === predictedId ? built.metadata : await buildMetadata(predictedId);
      await journal?.beforeSend({
        predictedEditionId: predictedId,
        metadataCid: metadata.metadataCid.toString(),
        fromBlock: await chain.publicClient.getBlockNumber(),
      });
      const { txHash, receipt } = await sendCollectionTransaction(deps, {
        collection: edition.collection,
        functionName: "createEdition",
        args: [
          {
            maxSupply: edition.maxSupply,
            metadataCid: metadata.metadataCid.toString(),
            mediaCid: media.cid,
            contentSha256,
            royaltyReceiver: edition.royaltyReceiver,
            royaltyBps: edition.royaltyBps,
            transferPolicy: transferPolicyCode(edition.transferPolicy),
            holdSeconds: edition.holdSeconds,
          },
        ],
      });
      const [event] = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "EditionCreated", logs: receipt.logs });
      if (!event) throw new VermilionError("INTERNAL", {}, { cause: new Error(`no EditionCreated in ${txHash}`) });
      sent = { editionId: event.args.editionId, txHash };
      await journal?.afterSend(sent);
      if (sent.editionId !== predictedId) metadata = undefined;
    }
    const { editionId, txHash } = sent;
    if (!metadata) {
      // The chain assigned another id than the one predicted (or a resumed job lost its build): the
      // documents must name the real one, and the chain must point at them.
      metadata = await buildMetadata(editionId);
      const onChain = await chain.publicClient.readContract({
        address: edition.collection,
        abi: vermilionCollectionAbi,
        functionName: "edition",
        args: [editionId],
      });
      if (onChain.metadataCid !== metadata.metadataCid.toString()) {
        await sendCollectionTransaction(deps, {
          collection: edition.collection,
          functionName: "setEditionMetadata",
          args: [editionId, metadata.metadataCid.toString()],
          editionId,
        });
      }
    }
    await recordMetadataTemplate({ db }, metadata);
    // ON CONFLICT: a resumed job may have recorded the row just before it stopped.
    await db.query(
      `INSERT INTO editions (chain_id, collection_address, edition_id, name, description, max_supply, media_cid, media_type,
         media_sha256, thumbnail_cid, poster_cid, metadata_cid, localized_metadata_cid, royalty_receiver, royalty_bps,
         transfer_policy, hold_seconds, license, attributes, tx_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (chain_id, collection_address, edition_id) DO NOTHING`,
      [
        BigInt(chain.chainId),
        edition.collection,
        editionId,
        edition.name,
        edition.description,
        edition.maxSupply,
        media.cid,
        media.mediaType,
        media.sha256,
        media.thumbnailCid,
        media.posterCid,
        metadata.metadataCid.toString(),
        metadata.localizedCid?.toString() ?? null,
        edition.royaltyReceiver,
        edition.royaltyBps,
        edition.transferPolicy,
        edition.holdSeconds,
        edition.license,
        JSON.stringify(edition.attributes),
        txHash,
      ],
    );
    return {
      editionId: editionId.toString(),
      mediaCid: media.cid,
      mediaType: media.mediaType,
      mediaSha256: media.sha256,
      contentSha256,
      thumbnailCid: media.thumbnailCid,
      posterCid: media.posterCid,
      metadataCid: metadata.metadataCid.toString(),
      localizedMetadataCid: metadata.localizedCid?.toString() ?? null,
      txHash,
      tokenUriOfFirstSerial: metadata.tokenUri(1),
    };
  });
}
