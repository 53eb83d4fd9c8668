import type { CID } from "multiformats/cid";
import type { ContentSource } from "./contentSource.js";

import { exporter } from "ipfs-unixfs-exporter";
import { concat as concatBytes } from "uint8arrays/concat";

import { hasErrorCode } from "../verifierError.js";
import { addFile, discardingBlockstore } from "../shared/addFile.js";
import { verifyBlock } from "./verifyBlock.js";

export interface ReadVerifiedFileParameters {
  rootCid: CID;
  /** Path under the root, e.g. `42.json`; empty for the root itself. */
  path?: string;
  /** Refuse files larger than this (a hostile gateway could stream forever). */
  maxBytes?: number;
}

/** Why a file could not be read with every block verified. */
export type ReadVerifiedFileFailure =
  | { kind: "unavailable"; detail: string }
  | { kind: "cidMismatch"; detail: string; cid: string }
  | { kind: "tooLarge"; detail: string }
  | { kind: "notAFile"; detail: string };

export type ReadVerifiedFileReturnType =
  | {
      ok: true;
      /** The file's own CID (the directory entry's, for a path). */
      fileCid: string;
      bytes: Uint8Array;
      /** The file's CID recomputed here from its bytes with Kubo's `ipfs add` settings. */
      recomputedCid: string;
      /** Blocks fetched and hashed, in the order walked (root and path blocks first). */
      blocks: CID[];
    }
  | ({ ok: false; blocks: CID[] } & ReadVerifiedFileFailure);

/**
 * Reads `rootCid[/path]` from an untrusted source: every block is hashed and compared with its CID
 * before the UnixFS walker sees it, so wrong bytes anywhere on the path are caught, and the file's CID is
 * then recomputed from the assembled bytes (CIDv1 raw leaves, or CIDv0, as Kubo would add them).
 */
export async function readVerifiedFile(source: ContentSource, parameters: ReadVerifiedFileParameters): Promise<ReadVerifiedFileReturnType> {
  const blocks: CID[] = [];
  let mismatch: string | undefined;
  const verifying = {
    get: async function* (cid: CID) {
      const bytes = await source.getBlock(cid);
      blocks.push(cid);
      try {
        await verifyBlock(cid, bytes);
      } catch (error) {
        mismatch = cid.toString();
        throw error;
      }
      yield bytes;
    },
  };
  const maxBytes = parameters.maxBytes ?? 512 * 1024 * 1024;
  const path = (parameters.path ?? "").split("/").filter(Boolean).join("/");
  try {
    const entry = await exporter(path === "" ? parameters.rootCid : `${parameters.rootCid.toString()}/${path}`, verifying, { offline: true });
    if (entry.type !== "file" && entry.type !== "raw") {
      return { ok: false, blocks, kind: "notAFile", detail: `${entry.cid.toString()} is a ${entry.type}, not a file` };
    }
    if (entry.size > BigInt(maxBytes)) return { ok: false, blocks, kind: "tooLarge", detail: `${entry.size} bytes is over ${maxBytes}` };
    const chunks: Uint8Array[] = [];
    for await (const chunk of entry.content({ offline: true })) chunks.push(chunk);
    const bytes = concatBytes(chunks);
    const fileCid = entry.cid;
    const recomputed = await recompute(bytes, fileCid);
    return { ok: true, fileCid: fileCid.toString(), bytes, recomputedCid: recomputed, blocks };
  } catch (error) {
    if (mismatch !== undefined) {
      return { ok: false, blocks, kind: "cidMismatch", cid: mismatch, detail: `the bytes served for ${mismatch} do not hash to that CID` };
    }
    if (hasErrorCode(error, "CONTENT_NOT_FOUND") || (error as { name?: string }).name === "NotFoundError") {
      return { ok: false, blocks, kind: "unavailable", detail: `${parameters.rootCid.toString()}${path ? `/${path}` : ""} is not available: ${(error as Error).message}` };
    }
    if (hasErrorCode(error, "IPFS_NODE_UNAVAILABLE")) return { ok: false, blocks, kind: "unavailable", detail: error.message };
    return { ok: false, blocks, kind: "unavailable", detail: `cannot read ${parameters.rootCid.toString()}/${path}: ${(error as Error).message}` };
  }
}

/**
 * The file's CID as Kubo's `ipfs add` would make it. Vermilion adds with CIDv1 raw leaves; a CIDv0 or a
 * dag-pb-leaf CIDv1 file is recomputed with the matching settings so content added elsewhere verifies too.
 */
async function recompute(bytes: Uint8Array, fileCid: CID): Promise<string> {
  const profiles = fileCid.version === 0 ? (["kubo-v0"] as const) : (["kubo-v1", "kubo-v1-pb"] as const);
  let first: string | undefined;
  for (const profile of profiles) {
    const { cid } = await addFile({ blockstore: discardingBlockstore }, { content: bytes, profile });
    if (cid.equals(fileCid)) return cid.toString();
    first ??= cid.toString();
  }
  return first!;
}
