import type { ContentSource } from "../contentStore.js";
import type { MediaScanLimits, ScannedMedia } from "./createMediaScan.js";

import { randomUUID } from "node:crypto";
import { open, rm } from "node:fs/promises";
import path from "node:path";

import { createMediaScan } from "./createMediaScan.js";

/** A media file that passed the streaming scan, kept in a temporary file until it is stored or refused. */
export type MediaFile = {
  path: string;
  scanned: ScannedMedia;
};

export type WriteMediaFileParameters = {
  content: ContentSource;
  limits?: MediaScanLimits;
};

/**
 * Streams media into a new file under `tempDir` while the single pass (detection, size limit,
 * structure walk, SHA-256, markup scan) runs on each chunk, writing each chunk before reading the
 * next, so memory stays one chunk whatever the file's size. On any refusal or a broken source the
 * file is removed before the error is thrown.
 */
export async function writeMediaFile(deps: { tempDir: string }, parameters: WriteMediaFileParameters): Promise<MediaFile> {
  const filePath = path.join(deps.tempDir, `${randomUUID()}.upload`);
  const scan = createMediaScan(parameters.limits);
  const handle = await open(filePath, "wx", 0o600);
  try {
    try {
      const source = parameters.content instanceof Uint8Array ? [parameters.content] : parameters.content;
      for await (const chunk of source) {
        scan.update(chunk);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    return { path: filePath, scanned: scan.finish() };
  } catch (error) {
    await rm(filePath, { force: true });
    throw error;
  }
}
