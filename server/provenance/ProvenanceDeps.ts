import type { Queryable } from "../db/Database.js";

/** What the provenance actions read from: the index of one chain. */
export interface ProvenanceDeps {
  db: Queryable;
  chainId: bigint;
  /**
   * Base URL of the IPFS gateway (`https://ipfs.vermilion.example`; `""` for this server's own `/ipfs`,
   * giving relative URLs); gateway URLs are null when absent.
   */
  ipfsGatewayUrl?: string;
  /** Reads a serial's metadata document from IPFS; null when it is not available. */
  readMetadataDocument?: (metadataCid: string, serial: number) => Promise<unknown>;
}
