import type { CID } from "multiformats/cid";

import { base64 } from "multiformats/bases/base64";

/** Identity of a block for de-duplication: codec and multihash (CIDv0 and v1 of one node are one block). */
export function blockKey(cid: CID): string {
  return `${cid.code}:${base64.baseEncode(cid.multihash.bytes)}`;
}
