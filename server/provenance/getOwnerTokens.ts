import type { ProvenanceDeps } from "./ProvenanceDeps.js";
import type { VermilionError } from "../errors/VermilionError.js";
import type { OwnerTokensView } from "../views/ownerTokensView.js";
import type { TokenViewRow } from "./tokenView.js";

import { decodeCursor, encodeCursor } from "./cursor.js";
import { readIndexedBlock } from "./readIndexedBlock.js";
import { toTokenView, tokenViewColumns, tokenViewJoins } from "./tokenView.js";

export interface GetOwnerTokensParameters {
  /** Lowercase holder address. */
  owner: string;
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export type GetOwnerTokensReturnType = OwnerTokensView;

/** A cursor this API did not return. */
export type GetOwnerTokensErrorType = VermilionError & { code: "VALIDATION_FAILED" };

/** What `owner` holds now across every collection (burned tokens excluded), by collection and token id. */
export async function getOwnerTokens(deps: ProvenanceDeps, parameters: GetOwnerTokensParameters): Promise<GetOwnerTokensReturnType> {
  const limit = parameters.limit ?? 50;
  const [afterCollection, afterTokenId] = parameters.cursor ? decodeCursor(parameters.cursor, ["address", "int8"]) : ["", "-1"];
  const [indexedBlock, { rows }] = await Promise.all([
    readIndexedBlock(deps),
    deps.db.query<TokenViewRow>(
      `SELECT ${tokenViewColumns} FROM ${tokenViewJoins}
       WHERE t.owner = $1 AND t.chain_id = $2 AND NOT t.burned AND (t.collection, t.token_id) > ($3, $4::int8)
       ORDER BY t.collection, t.token_id LIMIT $5`,
      [parameters.owner, deps.chainId, afterCollection, afterTokenId, limit + 1],
    ),
  ]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    owner: parameters.owner,
    tokens: page.map((row) => toTokenView(deps, row, indexedBlock)),
    nextCursor: rows.length > limit && last ? encodeCursor([last.collection, last.token_id.toString()]) : null,
    indexedBlock,
  };
}
