import type { PinRecord } from "./contentStore.js";

import { mkdir, readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { CID } from "multiformats/cid";
import { z } from "zod";
import { writeJsonAtomically } from "./writeJsonAtomically.js";

const pinFileSchema = z.object({ cid: z.string(), label: z.string(), pinnedAt: z.string() });

export type PinStore = {
  put(record: PinRecord): Promise<void>;
  remove(cid: CID): Promise<void>;
  get(cid: CID): Promise<PinRecord | undefined>;
  list(): Promise<PinRecord[]>;
};

/**
 * Recursive pins kept as one small JSON file per root under `directory`. Each write goes to a
 * temporary file and is renamed into place, so a crash never leaves a half-written pin and pins
 * survive restarts without a database.
 */
export async function createPinStore(params: { directory: string }): Promise<PinStore> {
  await mkdir(params.directory, { recursive: true });
  // Keyed by CIDv1 base32 of the root so the same content pinned as v0 and v1 is one pin.
  const fileFor = (cid: CID) => join(params.directory, `${cid.toV1().toString()}.json`);
  const read = async (file: string): Promise<PinRecord> => {
    const parsed = pinFileSchema.parse(JSON.parse(await readFile(file, "utf8")));
    return { cid: CID.parse(parsed.cid), label: parsed.label, pinnedAt: parsed.pinnedAt };
  };
  return {
    async put(record) {
      await writeJsonAtomically(fileFor(record.cid), { cid: record.cid.toString(), label: record.label, pinnedAt: record.pinnedAt });
    },
    async remove(cid) {
      await rm(fileFor(cid), { force: true });
    },
    async get(cid) {
      try {
        return await read(fileFor(cid));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async list() {
      const names = (await readdir(params.directory)).filter((name) => name.endsWith(".json")).sort();
      return Promise.all(names.map((name) => read(join(params.directory, name))));
    },
  };
}
