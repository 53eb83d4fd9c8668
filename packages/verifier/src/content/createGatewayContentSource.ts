import type { CID } from "multiformats/cid";
import type { ContentSource } from "./contentSource.js";

import { VerifierError } from "../verifierError.js";

export interface CreateGatewayContentSourceParameters {
  /** Gateway base URL, e.g. `https://ipfs.io` or the platform's own `http://host:8080`. */
  gatewayUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Blocks from an HTTP gateway, one trustless raw-block request each (`/ipfs/<cid>?format=raw`), so the
 * caller hashes what it got instead of trusting a gateway's deserialized answer.
 */
export function createGatewayContentSource(parameters: CreateGatewayContentSourceParameters): ContentSource {
  const base = parameters.gatewayUrl.replace(/\/+$/, "");
  const fetchBlock = parameters.fetch ?? fetch;
  const timeoutMs = parameters.timeoutMs ?? 30_000;
  return {
    description: `gateway ${base}`,
    async getBlock(cid: CID) {
      let response: Response;
      try {
        response = await fetchBlock(`${base}/ipfs/${cid.toString()}?format=raw`, {
          headers: { accept: "application/vnd.ipld.raw" },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new VerifierError("IPFS_NODE_UNAVAILABLE", { reason: (error as Error).message }, { cause: error });
      }
      if (response.status === 404) throw new VerifierError("CONTENT_NOT_FOUND", { cid: cid.toString() });
      if (!response.ok) {
        throw new VerifierError("IPFS_NODE_UNAVAILABLE", { reason: `gateway answered ${response.status} for ${cid.toString()}` });
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
