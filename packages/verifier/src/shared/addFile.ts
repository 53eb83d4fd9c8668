import type { CID } from "multiformats/cid";

import { importer, type WritableStorage } from "ipfs-unixfs-importer";
import { importerOptionsFor, type ImportProfile } from "./importProfiles.js";

/** A file's bytes, whole or as a stream of chunks. */
export type FileContent = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export type AddFileParameters = {
  content: FileContent;
  profile?: ImportProfile;
};

export type AddFileReturnType = {
  cid: CID;
  /** The file's length in bytes. */
  sizeBytes: bigint;
  /** Total bytes of every block in the DAG (what Kubo reports as `Size`). */
  dagSizeBytes: bigint;
};

/**
 * Import one file into `blockstore` with Kubo's `ipfs add` DAG shape and return its root CID.
 * A single-chunk file under `kubo-v1` is its raw leaf, and the file is never wrapped in a directory.
 */
export async function addFile(deps: { blockstore: WritableStorage }, parameters: AddFileParameters): Promise<AddFileReturnType> {
  const content = parameters.content instanceof Uint8Array ? [parameters.content] : parameters.content;
  let last: AddFileReturnType | undefined;
  for await (const entry of importer([{ content }], deps.blockstore, importerOptionsFor(parameters.profile))) {
    // The importer's `size` is the DAG size; a raw leaf has no UnixFS node, so its size is the file's.
    last = { cid: entry.cid, sizeBytes: entry.unixfs?.fileSize() ?? entry.size, dagSizeBytes: entry.size };
  }
  if (last === undefined) throw new Error("unixfs importer yielded no root");
  return last;
}

/** A blockstore that keeps nothing: computes CIDs without storing (e.g. to check a remote node's answer). */
export const discardingBlockstore: WritableStorage = {
  put: async (cid) => cid,
};
