import type { ImporterOptions } from "ipfs-unixfs-importer";

import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";

/**
 * Import settings that reproduce Kubo's `ipfs add`.
 *
 * - `kubo-v1`: `ipfs add --cid-version=1` (CIDv1, raw leaves) — what Vermilion stores.
 * - `kubo-v0`: plain `ipfs add` (CIDv0, dag-pb leaves).
 * - `kubo-v1-pb`: `ipfs add --cid-version=1 --raw-leaves=false`.
 *
 * All three use fixed 262,144-byte chunks, a balanced layout with at most 174 links per node, and
 * Kubo's HAMT switch: a directory becomes sharded once the summed byte length of its link names and
 * CIDs exceeds 256 KiB (`links-bytes`, boxo's `HAMTShardingSize` estimate).
 */
export type ImportProfile = "kubo-v1" | "kubo-v0" | "kubo-v1-pb";

export const KUBO_CHUNK_SIZE_BYTES = 262_144;
export const KUBO_MAX_LINKS_PER_NODE = 174;
export const KUBO_HAMT_THRESHOLD_BYTES = 262_144;

/**
 * The importer options for a profile. The chunker and layout are passed explicitly rather than via
 * the importer's own `profile` option because that option mutates the caller's options object and
 * `@helia/unixfs` defaults (1 MiB chunks, 1024 links) would silently give different CIDs.
 */
export function importerOptionsFor(profile: ImportProfile = "kubo-v1"): ImporterOptions {
  const cidVersion = profile === "kubo-v0" ? 0 : 1;
  const rawLeaves = profile === "kubo-v1";
  return {
    cidVersion,
    rawLeaves,
    // With dag-pb leaves Kubo wraps each chunk as a UnixFS `file` node (not `raw`).
    leafType: "file",
    reduceSingleLeafToSelf: true,
    wrapWithDirectory: false,
    chunker: fixedSize({ chunkSize: KUBO_CHUNK_SIZE_BYTES }),
    layout: balanced({ maxChildrenPerNode: KUBO_MAX_LINKS_PER_NODE }),
    shardSplitThresholdBytes: KUBO_HAMT_THRESHOLD_BYTES,
    shardSplitStrategy: "links-bytes",
    shardFanoutBits: 8,
    fieldOrder: "links-first",
  };
}

/** The `kubo-rpc-client` add options that make a remote Kubo import exactly like `importerOptionsFor`. */
export function kuboAddOptionsFor(profile: ImportProfile = "kubo-v1"): {
  cidVersion: 0 | 1;
  rawLeaves: boolean;
  chunker: string;
  trickle: false;
} {
  return {
    cidVersion: profile === "kubo-v0" ? 0 : 1,
    rawLeaves: profile === "kubo-v1",
    chunker: `size-${KUBO_CHUNK_SIZE_BYTES}`,
    trickle: false,
  };
}
