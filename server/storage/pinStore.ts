import type { PinRecord } from "./contentStore.js";

import { CID } from "multiformats/cid";
import { z } from "zod";

import { createCidRecordDirectory } from "./createCidRecordDirectory.js";

const pinFileSchema = z.object({ cid: z.string(), label: z.string(), pinnedAt: z.string() });

export type PinStore = {
  put(record: PinRecord): Promise<void>;
  remove(cid: CID): Promise<void>;
  get(cid: CID): Promise<PinRecord | undefined>;
  list(): Promise<PinRecord[]>;
};

/** Recursive pins, one small JSON file per root under `directory`, durable across crashes and restarts. */
export async function createPinStore(parameters: { directory: string }): Promise<PinStore> {
  const records = await createCidRecordDirectory({ directory: parameters.directory, schema: pinFileSchema });
  const toPin = (file: z.infer<typeof pinFileSchema>): PinRecord => ({ cid: CID.parse(file.cid), label: file.label, pinnedAt: file.pinnedAt });
  return {
    put: (record) => records.put(record.cid, { cid: record.cid.toString(), label: record.label, pinnedAt: record.pinnedAt }),
    remove: (cid) => records.remove(cid),
    async get(cid) {
      const file = await records.get(cid);
      return file === undefined ? undefined : toPin(file);
    },
    list: async () => (await records.list()).map(toPin),
  };
}
