import type { ContentSource, ContentStore } from "../contentStore.js";
import type { MediaScanLimits } from "./createMediaScan.js";
import type { StoredMedia } from "./storeMediaFile.js";
import type { VermilionError } from "../../errors/VermilionError.js";

import { rm } from "node:fs/promises";
import os from "node:os";

import { checkMediaFile } from "./checkMediaFile.js";
import { storeMediaFile } from "./storeMediaFile.js";
import { writeMediaFile } from "./writeMediaFile.js";

export type AddMediaParameters = {
  content: ContentSource;
  sizeLimits?: MediaScanLimits["sizeLimits"];
  pin?: { label: string };
  /** Thumbnail settings for images; `false` skips it. */
  thumbnail?: { maxEdgePx?: number; maxSourceMegapixels?: number } | false;
  /** Where the bytes wait between the pass and the import; the system's temporary directory by default. */
  tempDir?: string;
};

export type AddMediaReturnType = StoredMedia;

export type AddMediaErrorType = VermilionError;

/**
 * Accept one media file: stream it to a temporary file while it is identified by magic bytes, held to
 * its type's size limit, walked (every declared size checked) and hashed in one pass; then the checks
 * that need the whole file (image header and thumbnail, GLB JSON), off the event loop; only if every
 * check passes is it imported into the store (so a rejected upload stores nothing). The temporary
 * file is removed either way.
 */
export async function addMedia(deps: { store: ContentStore }, parameters: AddMediaParameters): Promise<AddMediaReturnType> {
  const file = await writeMediaFile(
    { tempDir: parameters.tempDir ?? os.tmpdir() },
    { content: parameters.content, limits: parameters.sizeLimits ? { sizeLimits: parameters.sizeLimits } : {} },
  );
  try {
    const checked = await checkMediaFile({ file, ...(parameters.thumbnail !== undefined ? { thumbnail: parameters.thumbnail } : {}) });
    return await storeMediaFile(deps, {
      file,
      ...(parameters.thumbnail !== false && checked.thumbnail ? { thumbnail: checked.thumbnail } : {}),
      ...(parameters.pin ? { pin: parameters.pin } : {}),
    });
  } finally {
    await rm(file.path, { force: true });
  }
}
