import type { ProvenanceDeps } from "./ProvenanceDeps.js";
import type { SearchView } from "../views/searchView.js";
import type { TokenViewRow } from "./tokenView.js";

import { toStoredAddress } from "../chain/toStoredAddress.js";
import { VermilionError } from "../errors/VermilionError.js";
import { SERIALS_PER_EDITION } from "vermilion-verify/shared/tokenIds.js";
import { readIndexedBlock } from "./readIndexedBlock.js";
import { toTokenView, tokenViewColumns, tokenViewJoins } from "./tokenView.js";

const MAX_RESULTS = 50;
const INT8_MAX = 2n ** 63n - 1n;

export interface SearchParameters {
  q: string;
}

export type SearchReturnType = SearchView;

/** A query that is none of the forms below. */
export type SearchErrorType = VermilionError & { code: "VALIDATION_FAILED" };

/**
 * Finds tokens by what a collector has at hand. The query is read as:
 * 1. 0x + 64 hex: a transaction hash (its transfers and the tokens they moved);
 * 2. 0x + 40 hex: an owner address (tokens held) or a collection address (its tokens);
 * 3. a number of 1,000,001 or more: a token id (in any collection);
 * 4. `#42`, `42` or `42/10000`: a serial (in any edition, optionally of that max supply).
 * Anything else is VALIDATION_FAILED on `q`. At most 50 tokens come back.
 */
export async function search(deps: ProvenanceDeps, parameters: SearchParameters): Promise<SearchReturnType> {
  const q = parameters.q.trim();
  const indexedBlock = await readIndexedBlock(deps);
  const base = { query: q, transfers: [] as SearchReturnType["transfers"], indexedBlock };
  const selectTokens = async (where: string, parameters: unknown[]) => {
    const { rows } = await deps.db.query<TokenViewRow>(
      `SELECT ${tokenViewColumns} FROM ${tokenViewJoins} WHERE t.chain_id = $1 AND ${where}
       ORDER BY t.collection, t.token_id LIMIT ${MAX_RESULTS}`,
      [deps.chainId, ...parameters],
    );
    return rows.map((row) => toTokenView(deps, row, indexedBlock));
  };

  if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
    const txHash = q.toLowerCase();
    const { rows } = await deps.db.query<{
      collection: string;
      token_id: bigint;
      kind: string;
      from_address: string;
      to_address: string;
      log_index: number;
      block_number: bigint;
    }>(
      `SELECT collection, token_id, kind, from_address, to_address, log_index, block_number FROM indexer_transfers
       WHERE tx_hash = $1 AND chain_id = $2 ORDER BY log_index LIMIT ${MAX_RESULTS}`,
      [txHash, deps.chainId],
    );
    const tokens = await selectTokens(
      "(t.collection, t.token_id) IN (SELECT collection, token_id FROM indexer_transfers WHERE tx_hash = $2 AND chain_id = $1)",
      [txHash],
    );
    return {
      ...base,
      interpretedAs: "txHash",
      tokens,
      transfers: rows.map((row) => ({
        collection: row.collection,
        tokenId: row.token_id.toString(),
        kind: row.kind,
        from: row.from_address,
        to: row.to_address,
        logIndex: row.log_index,
        blockNumber: Number(row.block_number),
      })),
    };
  }
  if (/^0x[0-9a-fA-F]{40}$/.test(q)) {
    const address = toStoredAddress(q);
    const tokens = await selectTokens("((t.owner = $2 AND NOT t.burned) OR t.collection = $2)", [address]);
    return { ...base, interpretedAs: "address", tokens };
  }
  const number = /^#?(\d{1,19})(?:\/(\d{1,7}))?$/.exec(q);
  if (number?.[1]) {
    const value = BigInt(number[1]);
    // A token id past int8 names no token the index can hold; it is refused below, not sent to the database.
    if (!q.startsWith("#") && number[2] === undefined && value > SERIALS_PER_EDITION && value <= INT8_MAX) {
      return { ...base, interpretedAs: "tokenId", tokens: await selectTokens("t.token_id = $2", [value]) };
    }
    if (value >= 1n && value < SERIALS_PER_EDITION) {
      const maxSupply = number[2] === undefined ? null : BigInt(number[2]);
      const tokens = await selectTokens("t.serial = $2 AND ($3::int8 IS NULL OR e.max_supply = $3::int8)", [value, maxSupply]);
      return { ...base, interpretedAs: "serial", tokens };
    }
  }
  throw new VermilionError("VALIDATION_FAILED", {
    field: "q",
    reason: "expected a transaction hash, an address, a token id or a serial such as #42 or 42/10000",
  });
}
