import type { CID } from "multiformats/cid";
import type { ContentStore } from "../contentStore.js";

export type ExportEditionCarParameters = {
  metadataCid: CID;
  localizedCid?: CID;
  /** Media, poster and thumbnails: metadata names them only as `ipfs://` strings, not IPLD links, so they are roots too. */
  mediaCids: CID[];
};

export type ExportEditionCarReturnType = AsyncIterable<Uint8Array>;

/**
 * One CARv1 archive of an edition — the metadata directory, any localized directory and all the
 * media it names — with each block once, e.g. for cold storage or handing to another pinning provider.
 * `importCar` on the other side checks every block before keeping it.
 */
export function exportEditionCar(deps: { store: Pick<ContentStore, "exportCar"> }, params: ExportEditionCarParameters): ExportEditionCarReturnType {
  const roots = [params.metadataCid, ...(params.localizedCid === undefined ? [] : [params.localizedCid]), ...params.mediaCids];
  const unique = roots.filter((cid, index) => roots.findIndex((other) => other.toString() === cid.toString()) === index);
  return deps.store.exportCar({ roots: unique });
}
