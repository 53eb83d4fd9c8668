import type { CID } from "multiformats/cid";
import type { ContentStat } from "./contentStore.js";

import { exporter, type ReadableStorage, type UnixFSEntry } from "ipfs-unixfs-exporter";
import { blockBytes } from "./blockBytes.js";
import { VermilionError } from "../errors/VermilionError.js";

export type ResolveContentParameters = { cid: CID; path?: string; signal?: AbortSignal };

export type ResolveContentReturnType = UnixFSEntry;

/**
 * Resolve `cid[/path]` to a UnixFS entry, walking plain and HAMT-sharded directories. Missing
 * blocks and missing names become CONTENT_NOT_FOUND / PATH_NOT_FOUND; the exporter runs offline so a
 * lookup never waits on a network.
 */
export async function resolveContent(deps: { blockstore: ReadableStorage }, parameters: ResolveContentParameters): Promise<ResolveContentReturnType> {
  const path = normalisePath(parameters.path);
  const target = path === "" ? parameters.cid : `${parameters.cid.toString()}/${path}`;
  try {
    return await exporter(target, strictReader(deps.blockstore), { signal: parameters.signal, offline: true });
  } catch (error) {
    if (error instanceof VermilionError) throw error;
    // Missing blocks already surfaced as CONTENT_NOT_FOUND, so the exporter's own NotFoundError means a missing name.
    if ((error as { name?: string } | null)?.name === "NotFoundError") {
      throw new VermilionError("PATH_NOT_FOUND", { cid: parameters.cid.toString(), path }, { cause: error });
    }
    throw error;
  }
}

/** Size and kind of `cid[/path]`. */
export async function statContent(deps: { blockstore: ReadableStorage }, parameters: ResolveContentParameters): Promise<ContentStat> {
  const entry = await resolveContent(deps, parameters);
  return { cid: entry.cid, type: entryKind(entry), sizeBytes: entry.size };
}

export type CatContentParameters = ResolveContentParameters & { offsetBytes?: number; lengthBytes?: number };

/** The bytes of the file at `cid[/path]`, or a byte range of it (for HTTP Range). */
export async function* catContent(deps: { blockstore: ReadableStorage }, parameters: CatContentParameters): AsyncGenerator<Uint8Array> {
  const entry = await resolveContent(deps, parameters);
  if (entry.type === "directory" || entry.type === "object") {
    throw new VermilionError("NOT_A_FILE", { cid: entry.cid.toString(), type: entry.type });
  }
  yield* entry.content({ offset: parameters.offsetBytes, length: parameters.lengthBytes, signal: parameters.signal, offline: true });
}

/**
 * The exporter reads blocks through this so a missing block is CONTENT_NOT_FOUND, distinct from the
 * exporter's NotFoundError for a missing directory entry (both are called NotFoundError upstream).
 */
function strictReader(blockstore: ReadableStorage): ReadableStorage {
  return {
    get: async function* (cid, options) {
      yield await blockBytes(blockstore, cid, { signal: options?.signal });
    },
  };
}

export function entryKind(entry: UnixFSEntry): ContentStat["type"] {
  switch (entry.type) {
    case "directory":
      return "directory";
    case "file":
      return "file";
    default:
      return "raw";
  }
}

function normalisePath(path: string | undefined): string {
  return (path ?? "").split("/").filter((segment) => segment !== "").join("/");
}
