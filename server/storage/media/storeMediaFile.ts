import type { CID } from "multiformats/cid";
import type { ContentStore } from "../contentStore.js";
import type { CreateThumbnailReturnType } from "./createThumbnail.js";
import type { MediaType } from "./mediaTypes.js";
import type { MediaFile } from "./writeMediaFile.js";

import { createReadStream } from "node:fs";

import { mediaTypes } from "./mediaTypes.js";

export type StoreMediaFileParameters = {
  file: MediaFile;
  thumbnail?: CreateThumbnailReturnType;
  pin?: { label: string };
};

export type StoredMedia = {
  cid: CID;
  mediaType: MediaType;
  mimeType: string;
  sizeBytes: number;
  /** Plain SHA-256 of the original bytes, lowercase hex, computed as they streamed in. */
  sha256: string;
  /** A gallery thumbnail, stored (and pinned) beside the original; the original is what provenance covers. */
  thumbnail?: { cid: CID; mimeType: string; widthPx: number; heightPx: number };
  /** Why an image got no thumbnail (absent for non-images). */
  thumbnailSkipped?: string;
};

/**
 * Imports a checked media file into the store, read from its temporary file as a stream (the store's
 * importer computes the CID, so it matches `ipfs add`), and its thumbnail beside it.
 */
export async function storeMediaFile(deps: { store: ContentStore }, parameters: StoreMediaFileParameters): Promise<StoredMedia> {
  const { file } = parameters;
  const read = () => createReadStream(file.path, { highWaterMark: 256 * 1024 });
  const { cid } = await deps.store.addFile({ content: read(), reopen: read, pin: parameters.pin });
  const { mediaType, sizeBytes, sha256 } = file.scanned;
  const stored: StoredMedia = { cid, mediaType, mimeType: mediaTypes[mediaType].mimeType, sizeBytes, sha256 };
  const thumbnail = parameters.thumbnail;
  if (thumbnail?.created === true) {
    const pin = parameters.pin === undefined ? undefined : { label: `${parameters.pin.label}:thumbnail` };
    const added = await deps.store.addFile({ content: thumbnail.bytes, pin });
    stored.thumbnail = { cid: added.cid, mimeType: thumbnail.mimeType, widthPx: thumbnail.widthPx, heightPx: thumbnail.heightPx };
  } else if (thumbnail !== undefined && thumbnail.reason !== "NOT_AN_IMAGE") {
    stored.thumbnailSkipped = thumbnail.reason;
  }
  return stored;
}
