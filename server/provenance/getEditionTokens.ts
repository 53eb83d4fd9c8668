import type { EditionTokensView } from "../views/editionTokensView.js";
import type { TransferPolicy } from "vermilion-verify/shared/transferPolicy.js";
import type { ProvenanceDeps } from "./ProvenanceDeps.js";

import { VermilionError } from "../errors/VermilionError.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { readCollectionIssuer } from "./collectionIssuer.js";
import { readIndexedBlock } from "./readIndexedBlock.js";

export interface GetEditionTokensParameters {
  collection: string;
  editionId: bigint;
  limit?: number;
  cursor?: string;
}

export type GetEditionTokensReturnType = EditionTokensView;

/** The edition is unknown, or the cursor is not one this API returned. */
export type GetEditionTokensErrorType = VermilionError & { code: "EDITION_NOT_FOUND" | "VALIDATION_FAILED" };

/** An edition's minted/max and sealed state, and its serials with their owners, by serial. */
export async function getEditionTokens(
  deps: ProvenanceDeps,
  parameters: GetEditionTokensParameters,
): Promise<GetEditionTokensReturnType> {
  const { collection, editionId } = parameters;
  const limit = parameters.limit ?? 100;
  const [afterSerial] = parameters.cursor ? decodeCursor(parameters.cursor, ["int8"]) : ["0"];
  const [indexedBlock, editions, tokens, issuer] = await Promise.all([
    readIndexedBlock(deps),
    deps.db.query<{
      max_supply: bigint;
      minted_count: bigint;
      burned_count: bigint;
      sealed: boolean;
      closed_early: boolean;
      metadata_cid: string;
      metadata_frozen: boolean;
      transfer_policy: TransferPolicy;
      hold_seconds: bigint;
    }>(
      `SELECT max_supply, minted_count, burned_count, sealed, closed_early, metadata_cid, metadata_frozen, transfer_policy,
         hold_seconds FROM indexer_editions WHERE chain_id = $1 AND collection = $2 AND edition_id = $3`,
      [deps.chainId, collection, editionId],
    ),
    deps.db.query<{ serial: bigint; token_id: bigint; owner: string; burned: boolean }>(
      `SELECT serial, token_id, owner, burned FROM indexer_tokens
       WHERE chain_id = $1 AND collection = $2 AND edition_id = $3 AND serial > $4::int8 ORDER BY serial LIMIT $5`,
      [deps.chainId, collection, editionId, afterSerial, limit + 1],
    ),
    readCollectionIssuer(deps, { collection }),
  ]);
  const edition = editions.rows[0];
  if (!edition) throw new VermilionError("EDITION_NOT_FOUND", { editionId: editionId.toString(), collection });
  const page = tokens.rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    edition: {
      collection,
      editionId: editionId.toString(),
      maxSupply: Number(edition.max_supply),
      minted: Number(edition.minted_count),
      burned: Number(edition.burned_count),
      sealed: edition.sealed,
      closedEarly: edition.closed_early,
      metadataCid: edition.metadata_cid,
      metadataFrozen: edition.metadata_frozen,
      transferPolicy: edition.transfer_policy,
      holdSeconds: Number(edition.hold_seconds),
    },
    issuer,
    tokens: page.map((row) => ({
      serial: Number(row.serial),
      tokenId: row.token_id.toString(),
      label: `#${row.serial}/${edition.max_supply}`,
      owner: row.burned ? null : row.owner,
      burned: row.burned,
    })),
    nextCursor: tokens.rows.length > limit && last ? encodeCursor([last.serial.toString()]) : null,
    indexedBlock,
  };
}
