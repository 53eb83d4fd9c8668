import type { ApiProvenanceSource, ApiTokenRecord } from "./createVerificationSession.js";

import { VerifierError } from "./verifierError.js";

/**
 * The fields of the platform's token view (`GET /api/tokens/:address/:tokenId`) that `api.provenance`
 * compares: the record's, with the media named as an `ipfs://` URL.
 */
export type ApiTokenViewFields = Omit<ApiTokenRecord["token"], "mediaCid"> & { media: { ipfs: string } };

/** The token-view fields `api.provenance` compares. */
export function apiTokenFields(token: ApiTokenViewFields): ApiTokenRecord["token"] {
  return {
    owner: token.owner,
    burned: token.burned,
    editionId: token.editionId,
    serial: token.serial,
    maxSupply: token.maxSupply,
    metadataCid: token.metadataCid,
    mediaCid: token.media.ipfs.replace(/^ipfs:\/\//, ""),
    contentSha256: token.contentSha256,
    transferPolicy: token.transferPolicy,
  };
}

/**
 * The platform's record of a token read over its public API (`/api/tokens/:address/:tokenId` and
 * `/provenance`), for an auditor comparing what Vermilion shows with the chain.
 */
export function createHttpApiProvenanceSource(parameters: { apiUrl: string; fetch?: typeof fetch }): ApiProvenanceSource {
  const base = parameters.apiUrl.replace(/\/+$/, "");
  const get = parameters.fetch ?? fetch;
  return async (contract, tokenId) => {
    let tokenResponse: Response;
    let provenanceResponse: Response;
    try {
      [tokenResponse, provenanceResponse] = await Promise.all([
        get(`${base}/api/tokens/${contract}/${tokenId}`),
        get(`${base}/api/tokens/${contract}/${tokenId}/provenance`),
      ]);
    } catch (error) {
      throw new VerifierError("NOT_FOUND", { resource: `the API at ${base} (${(error as Error).message})` }, { cause: error });
    }
    if (tokenResponse.status === 404 || provenanceResponse.status === 404) return null;
    if (!tokenResponse.ok || !provenanceResponse.ok) {
      throw new VerifierError("NOT_FOUND", { resource: `token ${tokenId} at ${base} (HTTP ${tokenResponse.status}/${provenanceResponse.status})` });
    }
    const { token } = (await tokenResponse.json()) as { token: ApiTokenViewFields };
    const { history } = (await provenanceResponse.json()) as { history: ApiTokenRecord["history"] };
    return { token: apiTokenFields(token), history };
  };
}
