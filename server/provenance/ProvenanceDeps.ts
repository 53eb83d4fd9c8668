import type { Queryable } from "../db/Database.js";

/** What the provenance actions read from: the index of one chain. */
export interface ProvenanceDeps {
  db: Queryable;
  chainId: bigint;
  /** Base URL of the platform's IPFS gateway (e.g. `https://ipfs.vermilion.example`); media URLs omit it when absent. */
  ipfsGatewayUrl?: string;
}
