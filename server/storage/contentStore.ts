import type { CID } from "multiformats/cid";
import type { ImportProfile } from "vermilion-verify/shared/importProfiles.js";

/** Bytes to import: a whole buffer or a stream of chunks (a Node Readable is an AsyncIterable). */
export type ContentSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export type AddedContent = {
  cid: CID;
  /** File length; for a directory, the cumulative DAG size Kubo reports as `Size`. */
  sizeBytes: bigint;
};

export type DirectoryEntryInput = {
  /** Path inside the directory, e.g. `42.json` or `media/cover.png`. */
  path: string;
  content: ContentSource;
};

export type AddedDirectory = AddedContent & {
  entries: Array<{ path: string; cid: CID; sizeBytes: bigint }>;
};

export type ContentStat = {
  cid: CID;
  type: "file" | "directory" | "raw";
  sizeBytes: bigint;
};

export type PinRecord = {
  cid: CID;
  /** Why it is pinned, e.g. `edition:7:metadata`. */
  label: string;
  pinnedAt: string;
};

export type ImportedCar = {
  roots: CID[];
  blockCount: number;
};

/**
 * What the rest of Vermilion may do with IPFS content. Both the embedded store (filesystem
 * blockstore, no network) and the remote Kubo store implement it; callers never know which.
 */
export interface ContentStore {
  readonly kind: "embedded" | "kubo";
  /**
   * Import one file exactly as `ipfs add` with the store's profile would; no wrapping directory.
   * `reopen` reads the same bytes again (a file on disk): a store that needs two passes (Kubo: the
   * local CID, then the upload) takes the second from it instead of holding the bytes in memory.
   */
  addFile(params: { content: ContentSource; reopen?: () => AsyncIterable<Uint8Array>; pin?: { label: string } }): Promise<AddedContent>;
  /** Import a set of files as one UnixFS directory (HAMT-sharded past Kubo's threshold). */
  addDirectory(params: { entries: Iterable<DirectoryEntryInput> | AsyncIterable<DirectoryEntryInput>; pin?: { label: string } }): Promise<AddedDirectory>;
  /** File bytes at `cid[/path]`, optionally a byte range. */
  cat(params: { cid: CID; path?: string; offsetBytes?: number; lengthBytes?: number }): AsyncIterable<Uint8Array>;
  stat(params: { cid: CID; path?: string }): Promise<ContentStat>;
  /** One raw block; throws CONTENT_NOT_FOUND when absent (never fetches from the network). */
  getBlock(cid: CID): Promise<Uint8Array>;
  has(cid: CID): Promise<boolean>;
  pin(cid: CID, label: string): Promise<PinRecord>;
  unpin(cid: CID): Promise<void>;
  listPins(): Promise<PinRecord[]>;
  /** A CARv1 of every block under `roots`, depth-first, each block once. */
  exportCar(params: { roots: CID[] }): AsyncIterable<Uint8Array>;
  /** Store the blocks of a CARv1, verifying every block against its CID first. */
  importCar(params: { car: AsyncIterable<Uint8Array> | Iterable<Uint8Array>; pin?: { label: string } }): Promise<ImportedCar>;
  readonly profile: ImportProfile;
  close(): Promise<void>;
}
