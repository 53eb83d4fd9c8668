import type { ContentSource } from "./contentStore.js";
import type { AddFileReturnType } from "vermilion-verify/shared/addFile.js";
import type { ImportProfile } from "vermilion-verify/shared/importProfiles.js";

import { createHash } from "node:crypto";
import { encode, prepare, type PBLink } from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import { CID } from "multiformats/cid";
import * as dagPbCodec from "@ipld/dag-pb";
import * as rawCodec from "multiformats/codecs/raw";
import { create as createDigest } from "multiformats/hashes/digest";
import { sha256 } from "multiformats/hashes/sha2";
import { addFile, discardingBlockstore } from "vermilion-verify/shared/addFile.js";
import { KUBO_CHUNK_SIZE_BYTES, KUBO_MAX_LINKS_PER_NODE } from "vermilion-verify/shared/importProfiles.js";

export type ComputeFileCidParameters = {
  content: ContentSource;
  profile?: ImportProfile;
};

type DagNode = { cid: CID; fileSizeBytes: bigint; dagSizeBytes: bigint };

const SHA2_256 = 0x12;

/**
 * The CID `addFile` would give `content`, without storing a block. Under `kubo-v1` (raw leaves) each
 * 262,144-byte leaf is hashed incrementally as the input slices arrive, so no leaf is ever copied into a
 * buffer of its own; the parents are built exactly as the importer's balanced layout builds them (174
 * links per node, single leaf reduced to itself). Other profiles, and the empty file, go through the
 * importer itself.
 */
export async function computeFileCid(parameters: ComputeFileCidParameters): Promise<AddFileReturnType> {
  const profile = parameters.profile ?? "kubo-v1";
  if (profile !== "kubo-v1") return addFile({ blockstore: discardingBlockstore }, parameters);
  const leaves: DagNode[] = [];
  let hash = createHash("sha256");
  let filled = 0;
  const closeLeaf = () => {
    const digest = createDigest(SHA2_256, hash.digest());
    leaves.push({ cid: CID.createV1(rawCodec.code, digest), fileSizeBytes: BigInt(filled), dagSizeBytes: BigInt(filled) });
    hash = createHash("sha256");
    filled = 0;
  };
  const source = parameters.content instanceof Uint8Array ? [parameters.content] : parameters.content;
  for await (const slice of source) {
    let offset = 0;
    while (offset < slice.byteLength) {
      const take = Math.min(KUBO_CHUNK_SIZE_BYTES - filled, slice.byteLength - offset);
      hash.update(offset === 0 && take === slice.byteLength ? slice : slice.subarray(offset, offset + take));
      filled += take;
      offset += take;
      if (filled === KUBO_CHUNK_SIZE_BYTES) closeLeaf();
    }
  }
  if (filled > 0) closeLeaf();
  if (leaves.length === 0) return addFile({ blockstore: discardingBlockstore }, { content: new Uint8Array(0), profile });
  if (leaves.length === 1) {
    const leaf = leaves[0]!;
    return { cid: leaf.cid, sizeBytes: leaf.fileSizeBytes, dagSizeBytes: leaf.dagSizeBytes };
  }
  let level = leaves;
  while (level.length > 1) {
    const parents: DagNode[] = [];
    for (let start = 0; start < level.length; start += KUBO_MAX_LINKS_PER_NODE) {
      parents.push(await parentNode(level.slice(start, start + KUBO_MAX_LINKS_PER_NODE)));
    }
    level = parents;
  }
  const root = level[0]!;
  return { cid: root.cid, sizeBytes: root.fileSizeBytes, dagSizeBytes: root.dagSizeBytes };
}

/** A UnixFS `file` node over `children`, encoded as the importer encodes it (CIDv1, dag-pb). */
async function parentNode(children: readonly DagNode[]): Promise<DagNode> {
  const unixfs = new UnixFS({ type: "file" });
  const links: PBLink[] = [];
  let linkedBytes = 0n;
  for (const child of children) {
    unixfs.addBlockSize(child.fileSizeBytes);
    links.push({ Name: "", Tsize: Number(child.dagSizeBytes), Hash: child.cid });
    linkedBytes += child.dagSizeBytes;
  }
  const block = encode(prepare({ Data: unixfs.marshal(), Links: links }));
  const cid = CID.createV1(dagPbCodec.code, await sha256.digest(block));
  return { cid, fileSizeBytes: unixfs.fileSize(), dagSizeBytes: BigInt(block.byteLength) + linkedBytes };
}
