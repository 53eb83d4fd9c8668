import type { ProvenanceDeps } from "./ProvenanceDeps.js";
import type { IndexedBlockRow } from "./readIndexedBlock.js";
import type { TokenDetailView } from "../views/tokenView.js";
import type { TokenViewRow } from "./tokenView.js";

import { VermilionError } from "../errors/VermilionError.js";
import { canonicalJson } from "vermilion-verify/shared/canonicalJson.js";
import { parseMetadataTemplate, renderTokenMetadata } from "../storage/metadata/metadataTemplate.js";
import { toIndexedBlock } from "./readIndexedBlock.js";
import { toTokenView } from "./tokenView.js";

export interface GetTokenParameters {
  /** Lowercase collection address. */
  collection: string;
  tokenId: bigint;
}

export type GetTokenReturnType = TokenDetailView;

export type GetTokenErrorType = VermilionError & { code: "TOKEN_NOT_FOUND" };

type GetTokenRow = TokenViewRow & IndexedBlockRow & { edition_name: string | null; metadata_template: string | null };

/**
 * One token as indexed: owner, edition and serial, URIs, policy and lock state, burn, with its metadata
 * document. One query: the token, its edition's name, the template of a metadata directory the platform
 * wrote (recordMetadataTemplate) and the indexed block. The serial's document is rendered from the template,
 * byte for byte the one in the store; only a directory written by someone else is read from the store.
 */
export async function getToken(deps: ProvenanceDeps, parameters: GetTokenParameters): Promise<GetTokenReturnType> {
  const { rows } = await deps.db.query<GetTokenRow>(
    // A function keeping its plan (migration 0103): its columns are tokenViewColumns and IndexedBlockRow's.
    "SELECT * FROM indexer_token_read($1, $2, $3)",
    [deps.chainId, parameters.collection, parameters.tokenId],
  );
  const row = rows[0];
  if (!row) {
    throw new VermilionError("TOKEN_NOT_FOUND", { collection: parameters.collection, tokenId: parameters.tokenId.toString() });
  }
  const indexedBlock = toIndexedBlock(row);
  const metadata = renderedMetadata(row) ?? (await readStoredMetadata(deps, row));
  return {
    token: { ...toTokenView(deps, row, indexedBlock), editionName: row.edition_name, metadata },
    indexedBlock,
  };
}

/** The serial's document from the recorded template, as parsed from its canonical bytes (key order and all). */
function renderedMetadata(row: GetTokenRow): unknown {
  if (row.metadata_template === null) return null;
  try {
    return JSON.parse(canonicalJson(renderTokenMetadata(parseMetadataTemplate(row.metadata_template), Number(row.serial))));
  } catch {
    // A serial past the template's edition size has no document in that directory either: ask the store.
    return null;
  }
}

async function readStoredMetadata(deps: ProvenanceDeps, row: GetTokenRow): Promise<unknown> {
  if (!deps.readMetadataDocument) return null;
  return deps.readMetadataDocument(row.metadata_cid, Number(row.serial)).catch(() => null);
}
