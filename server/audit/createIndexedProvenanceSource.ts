import type { ProvenanceDeps } from "../provenance/ProvenanceDeps.js";
import type { ApiProvenanceSource } from "vermilion-verify/createVerificationSession.js";

import { isVermilionError } from "../errors/VermilionError.js";
import { getToken } from "../provenance/getToken.js";
import { getTokenProvenance } from "../provenance/getTokenProvenance.js";
import { apiTokenFields } from "vermilion-verify/createHttpApiProvenanceSource.js";
import { toStoredAddress } from "../chain/toStoredAddress.js";

/**
 * The platform's record of a token read straight from its own index (the same actions that answer
 * `/api/tokens/:address/:tokenId` and `/provenance`), so `api.provenance` compares the index with the
 * chain without a round trip over HTTP.
 */
export function createIndexedProvenanceSource(deps: Pick<ProvenanceDeps, "db" | "chainId">): ApiProvenanceSource {
  return async (contract, tokenId) => {
    const collection = toStoredAddress(contract);
    try {
      const [{ token }, { history }] = await Promise.all([
        getToken(deps, { collection, tokenId }),
        getTokenProvenance(deps, { collection, tokenId }),
      ]);
      return {
        token: apiTokenFields(token),
        history,
      };
    } catch (error) {
      if (isVermilionError(error, "TOKEN_NOT_FOUND")) return null;
      throw error;
    }
  };
}
