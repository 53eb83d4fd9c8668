import type { CID } from "multiformats/cid";

import { equals } from "multiformats/bytes";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";

import { VerifierError } from "../verifierError.js";

/** Throw BLOCK_HASH_MISMATCH unless `bytes` hash to `cid`'s multihash (UNSUPPORTED_HASH for a hash we do not compute). */
export async function verifyBlock(cid: CID, bytes: Uint8Array): Promise<void> {
  let digest: Uint8Array;
  switch (cid.multihash.code) {
    case sha256.code:
      digest = (await sha256.digest(bytes)).digest;
      break;
    case identity.code:
      digest = identity.digest(bytes).digest;
      break;
    default:
      throw new VerifierError("UNSUPPORTED_HASH", { code: `0x${cid.multihash.code.toString(16)}` });
  }
  if (!equals(digest, cid.multihash.digest)) throw new VerifierError("BLOCK_HASH_MISMATCH", { cid: cid.toString() });
}
