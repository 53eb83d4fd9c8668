import type { CID } from "multiformats/cid";
import type { z } from "zod";

import { mkdir, readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

import { writeJsonAtomically } from "./writeJsonAtomically.js";

/** One JSON record per CID in a directory: what the pin store keeps. */
export interface CidRecordDirectory<Record> {
  put(cid: CID, record: Record): Promise<void>;
  get(cid: CID): Promise<Record | undefined>;
  remove(cid: CID): Promise<void>;
  /** Every record, in file-name (CID) order. */
  list(): Promise<Record[]>;
}

/**
 * A directory of small JSON files, one per CID, each written to a temporary file and renamed into
 * place, so a crash never leaves a half-written record and records survive restarts without a
 * database. Files are keyed by the CIDv1 (base32), so a v0 and a v1 of the same content are one record.
 */
export async function createCidRecordDirectory<Schema extends z.ZodType>(parameters: {
  directory: string;
  schema: Schema;
}): Promise<CidRecordDirectory<z.infer<Schema>>> {
  await mkdir(parameters.directory, { recursive: true });
  const fileFor = (cid: CID) => join(parameters.directory, `${cid.toV1().toString()}.json`);
  const read = async (file: string): Promise<z.infer<Schema>> => parameters.schema.parse(JSON.parse(await readFile(file, "utf8")));
  return {
    async put(cid, record) {
      await writeJsonAtomically(fileFor(cid), record);
    },
    async get(cid) {
      try {
        return await read(fileFor(cid));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async remove(cid) {
      await rm(fileFor(cid), { force: true });
    },
    async list() {
      const names = (await readdir(parameters.directory)).filter((name) => name.endsWith(".json")).sort();
      return Promise.all(names.map((name) => read(join(parameters.directory, name))));
    },
  };
}
