import type { CID } from "multiformats/cid";

/**
 * Where the verifier gets IPFS blocks: raw bytes said to belong to a CID. Nothing a source returns is
 * trusted; `readVerifiedFile` hashes every block against its CID before using it.
 */
export interface ContentSource {
  /** For evidence: `gateway https://…`, `car bundle.car`, `store`. */
  readonly description: string;
  /** The bytes of one block; throws CONTENT_NOT_FOUND when the source does not have it. */
  getBlock(cid: CID): Promise<Uint8Array>;
}
