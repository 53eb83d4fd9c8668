import type { ContentStore } from "../storage/contentStore.js";

/** The store, telling `onFailure` of every pin (or pinned import) that failed, for metrics. */
export function countingPinFailures(store: ContentStore, onFailure: () => void): ContentStore {
  const counted =
    <Args extends unknown[], Result>(call: (...args: Args) => Promise<Result>, pins: (...args: Args) => boolean) =>
    async (...args: Args): Promise<Result> => {
      try {
        return await call(...args);
      } catch (error) {
        if (pins(...args)) onFailure();
        throw error;
      }
    };
  return {
    get kind() {
      return store.kind;
    },
    get profile() {
      return store.profile;
    },
    addFile: counted((parameters) => store.addFile(parameters), (parameters) => parameters.pin !== undefined),
    addDirectory: counted((parameters) => store.addDirectory(parameters), (parameters) => parameters.pin !== undefined),
    importCar: counted((parameters) => store.importCar(parameters), (parameters) => parameters.pin !== undefined),
    pin: counted((cid: Parameters<ContentStore["pin"]>[0], label: string) => store.pin(cid, label), () => true),
    cat: (parameters) => store.cat(parameters),
    stat: (parameters) => store.stat(parameters),
    getBlock: (cid) => store.getBlock(cid),
    has: (cid) => store.has(cid),
    unpin: (cid) => store.unpin(cid),
    listPins: () => store.listPins(),
    exportCar: (parameters) => store.exportCar(parameters),
    close: () => store.close(),
  };
}
