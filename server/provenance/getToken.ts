import type { ProvenanceDeps } from "./ProvenanceDeps.js";
import type { TokenDetailView } from "../views/tokenView.js";
import type { TokenViewRow } from "./tokenView.js";

import { VermilionError } from "../errors/VermilionError.js";
import { readIndexedBlock } from "./readIndexedBlock.js";
import { toTokenView, tokenViewColumns, tokenViewJoins } from "./tokenView.js";

export interface GetTokenParameters {
  /** Lowercase collection address. */
  collection: string;
  tokenId: bigint;
}

export type GetTokenReturnType = TokenDetailView;

export type GetTokenErrorType = VermilionError & { code: "TOKEN_NOT_FOUND" };

/** One token as indexed: owner, edition and serial, URIs, policy and lock state, burn. */
export async function getToken(deps: ProvenanceDeps, parameters: GetTokenParameters): Promise<GetTokenReturnType> {
  const [indexedBlock, { rows }] = await Promise.all([
    readIndexedBlock(deps),
    deps.db.query<TokenViewRow>(
      `SELECT ${tokenViewColumns} FROM ${tokenViewJoins} WHERE t.chain_id = $1 AND t.collection = $2 AND t.token_id = $3`,
      [deps.chainId, parameters.collection, parameters.tokenId],
    ),
  ]);
  const row = rows[0];
  if (!row) {
    throw new VermilionError("TOKEN_NOT_FOUND", { collection: parameters.collection, tokenId: parameters.tokenId.toString() });
  }
  const [metadata, editionRows] = await Promise.all([
    deps.readMetadataDocument
      ? deps.readMetadataDocument(row.metadata_cid, Number(row.serial)).catch(() => null)
      : Promise.resolve(null),
    deps.db.query<{ name: string }>(
      "SELECT name FROM editions WHERE chain_id = $1 AND collection_address = $2 AND edition_id = $3",
      [deps.chainId, parameters.collection, row.edition_id],
    ),
  ]);
  return {
    token: { ...toTokenView(deps, row, indexedBlock), editionName: editionRows.rows[0]?.name ?? null, metadata },
    indexedBlock,
  };
}
