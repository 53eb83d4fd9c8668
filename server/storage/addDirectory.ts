import type { CID } from "multiformats/cid";
import type { DirectoryEntryInput } from "./contentStore.js";

import { importer, type WritableStorage } from "ipfs-unixfs-importer";
import { importerOptionsFor, type ImportProfile } from "vermilion-verify/shared/importProfiles.js";

export type AddDirectoryParameters = {
  entries: Iterable<DirectoryEntryInput> | AsyncIterable<DirectoryEntryInput>;
  profile?: ImportProfile;
  /** Override Kubo's 256 KiB HAMT switch (Kubo's `Import.UnixFSHAMTDirectorySizeThreshold`); tests use it. */
  shardSplitThresholdBytes?: number;
};

export type AddDirectoryReturnType = {
  cid: CID;
  sizeBytes: bigint;
  entries: Array<{ path: string; cid: CID; sizeBytes: bigint }>;
};

/**
 * Import files as one UnixFS directory, as `ipfs add -r <dir>` would: the returned CID is the
 * directory itself (its own name is not part of the DAG). Past Kubo's 256 KiB link estimate the
 * directory becomes a HAMT shard, which the importer decides while adding.
 */
export async function addDirectory(deps: { blockstore: WritableStorage }, parameters: AddDirectoryParameters): Promise<AddDirectoryReturnType> {
  const entries: AddDirectoryReturnType["entries"] = [];
  let root: { cid: CID; size: bigint } | undefined;
  const candidates = mapEntries(parameters.entries);
  const options = {
    ...importerOptionsFor(parameters.profile),
    ...(parameters.shardSplitThresholdBytes === undefined ? {} : { shardSplitThresholdBytes: parameters.shardSplitThresholdBytes }),
    wrapWithDirectory: true,
    fileImportConcurrency: 50,
  };
  for await (const entry of importer(candidates, deps.blockstore, options)) {
    // The wrapping directory is yielded last with an empty path.
    if (entry.path === undefined || entry.path === "") {
      root = entry;
    } else if (entry.unixfs?.isDirectory() !== true) {
      entries.push({ path: entry.path, cid: entry.cid, sizeBytes: entry.unixfs?.fileSize() ?? entry.size });
    }
  }
  if (root === undefined) throw new Error("unixfs importer yielded no directory root");
  return { cid: root.cid, sizeBytes: root.size, entries };
}

async function* mapEntries(
  entries: Iterable<DirectoryEntryInput> | AsyncIterable<DirectoryEntryInput>,
): AsyncGenerator<{ path: string; content: Iterable<Uint8Array> | AsyncIterable<Uint8Array> }> {
  for await (const entry of entries) {
    const path = entry.path.replace(/^\/+/, "");
    yield { path, content: entry.content instanceof Uint8Array ? [entry.content] : entry.content };
  }
}
