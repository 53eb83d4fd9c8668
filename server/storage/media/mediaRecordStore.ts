import type { CID } from "multiformats/cid";

import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeJsonAtomically } from "../writeJsonAtomically.js";
import { mediaTypes } from "./mediaTypes.js";

const mediaRecordSchema = z.object({
  cid: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mediaType: z.enum(Object.keys(mediaTypes) as [keyof typeof mediaTypes, ...Array<keyof typeof mediaTypes>]),
  mimeType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  thumbnailCid: z.string().optional(),
  addedAt: z.string(),
});

export type MediaRecord = z.output<typeof mediaRecordSchema>;

export type MediaRecordStore = {
  put(record: MediaRecord): Promise<void>;
  get(cid: CID): Promise<MediaRecord | undefined>;
};

/**
 * What we learned about each accepted media file — above all its plain SHA-256 — kept beside the
 * blocks (one JSON file per CID), so the hash that provenance commits to can be looked up by CID
 * later without re-reading the media.
 */
export async function createMediaRecordStore(params: { directory: string }): Promise<MediaRecordStore> {
  await mkdir(params.directory, { recursive: true });
  const fileFor = (cid: CID | string) => join(params.directory, `${cid.toString()}.json`);
  return {
    put: (record) => writeJsonAtomically(fileFor(record.cid), mediaRecordSchema.parse(record)),
    async get(cid) {
      try {
        return mediaRecordSchema.parse(JSON.parse(await readFile(fileFor(cid.toV1()), "utf8")));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
  };
}
