import type { CID } from "multiformats/cid";
import type { ContentStore, PinRecord } from "../contentStore.js";
import type { ImportProfile } from "vermilion-verify/shared/importProfiles.js";

import { join } from "node:path";
import { addDirectory } from "../addDirectory.js";
import { addFile } from "vermilion-verify/shared/addFile.js";
import { blockBytes } from "../blockBytes.js";
import { exportCar, importCar } from "../carArchive.js";
import { createPinStore } from "../pinStore.js";
import { catContent, statContent } from "../readContent.js";
import { checkDagComplete } from "../checkDagComplete.js";
import { isVermilionError, VermilionError } from "../../errors/VermilionError.js";
import { FileBlockstore } from "./fileBlockstore.js";
import { singleFlightPuts } from "./singleFlightPuts.js";

export type CreateEmbeddedStoreParameters = {
  /** Root of the store: blocks under `<dataDir>/blocks`, pins under `<dataDir>/pins`. */
  dataDir: string;
  profile?: ImportProfile;
  /** fsync every block (default true); tests and benchmarks on throwaway directories may turn it off. */
  syncWrites?: boolean;
  now?: () => Date;
};

export type CreateEmbeddedStoreReturnType = ContentStore & { readonly blockstore: FileBlockstore };

/**
 * The default content store: UnixFS over a filesystem blockstore, with no libp2p node at all, so it
 * opens no network connection and starts in milliseconds. Pins are files beside the blocks.
 */
export async function createEmbeddedStore(parameters: CreateEmbeddedStoreParameters): Promise<CreateEmbeddedStoreReturnType> {
  const profile = parameters.profile ?? "kubo-v1";
  const now = parameters.now ?? (() => new Date());
  const blockstore = new FileBlockstore(join(parameters.dataDir, "blocks"), { syncWrites: parameters.syncWrites });
  await blockstore.open();
  const writable = singleFlightPuts(blockstore);
  const pins = await createPinStore({ directory: join(parameters.dataDir, "pins") });

  const pin = async (cid: CID, label: string): Promise<PinRecord> => {
    // A recursive pin is only honest if every block is here: read the whole DAG before recording it.
    try {
      await checkDagComplete(blockstore, { root: cid });
    } catch (error) {
      if (isVermilionError(error, "CONTENT_NOT_FOUND")) {
        throw new VermilionError("PIN_INCOMPLETE", { cid: cid.toString(), missing: String(error.details.cid) }, { cause: error });
      }
      throw error;
    }
    const record = { cid, label, pinnedAt: now().toISOString() };
    await pins.put(record);
    return record;
  };

  const store: CreateEmbeddedStoreReturnType = {
    kind: "embedded",
    profile,
    blockstore,
    async addFile({ content, pin: pinAs }) {
      const added = await addFile({ blockstore: writable }, { content, profile });
      if (pinAs !== undefined) await pin(added.cid, pinAs.label);
      return added;
    },
    async addDirectory({ entries, pin: pinAs }) {
      const added = await addDirectory({ blockstore: writable }, { entries, profile });
      if (pinAs !== undefined) await pin(added.cid, pinAs.label);
      return added;
    },
    cat: (query) => catContent({ blockstore }, query),
    stat: (query) => statContent({ blockstore }, query),
    getBlock: (cid) => blockBytes(blockstore, cid),
    has: (cid) => blockstore.has(cid),
    pin,
    unpin: (cid) => pins.remove(cid),
    listPins: () => pins.list(),
    exportCar: ({ roots }) => exportCar({ blockstore }, { roots }),
    async importCar({ car, pin: pinAs }) {
      const imported = await importCar({ blockstore }, { car });
      if (pinAs !== undefined) for (const root of imported.roots) await pin(root, pinAs.label);
      return { roots: imported.roots, blockCount: imported.blockCount };
    },
    close: () => blockstore.close(),
  };
  return store;
}
