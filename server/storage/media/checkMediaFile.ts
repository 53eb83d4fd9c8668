import type { CreateThumbnailReturnType } from "./createThumbnail.js";
import type { MediaFile } from "./writeMediaFile.js";

import { checkGlbJson } from "./checkGlbJson.js";
import { createThumbnail } from "./createThumbnail.js";
import { mediaTypes } from "./mediaTypes.js";

export type CheckMediaFileParameters = {
  file: MediaFile;
  /** Thumbnail settings for images; `false` skips it (the dimension check still runs). */
  thumbnail?: { maxEdgePx?: number; maxSourceMegapixels?: number } | false;
  maxImagePixels?: number;
  timeoutSeconds?: number;
};

/** An image's thumbnail (absent for other media), or why it has none. */
export type CheckMediaFileReturnType = { thumbnail?: CreateThumbnailReturnType };

/**
 * The checks that need the whole file, after the streaming pass and before anything is stored: an
 * image's size read by sharp from its header, then its thumbnail (libvips, on libuv's thread pool);
 * a GLB's JSON chunk parsed in a worker. Each runs off the event loop with a time and memory budget.
 */
export async function checkMediaFile(parameters: CheckMediaFileParameters): Promise<CheckMediaFileReturnType> {
  const { file } = parameters;
  const timeoutSeconds = parameters.timeoutSeconds ?? 10;
  const glbJson = file.scanned.inspection.glbJson;
  if (glbJson) await checkGlbJson({ path: file.path, ...glbJson, timeoutMs: timeoutSeconds * 1000 });
  if (mediaTypes[file.scanned.mediaType].kind !== "image") return {};
  const thumbnail = await createThumbnail({
    input: file.path,
    mediaType: file.scanned.mediaType,
    timeoutSeconds,
    ...(parameters.maxImagePixels !== undefined ? { maxImagePixels: parameters.maxImagePixels } : {}),
    // Without a thumbnail, only the header is read: a zero-pixel budget for decoding.
    ...(parameters.thumbnail === false ? { maxSourceMegapixels: 0 } : parameters.thumbnail),
  });
  return { thumbnail };
}
