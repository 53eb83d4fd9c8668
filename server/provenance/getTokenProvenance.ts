import type { ProvenanceEntry, TokenProvenanceView } from "../views/provenanceView.js";
import type { ProvenanceDeps } from "./ProvenanceDeps.js";

import { VermilionError } from "../errors/VermilionError.js";
import type { IndexedBlockRow } from "./readIndexedBlock.js";

import { readCollectionIssuer } from "./collectionIssuer.js";
import { indexedBlockColumns, indexedBlockLateral, toIndexedBlock } from "./readIndexedBlock.js";

export interface GetTokenProvenanceParameters {
  collection: string;
  tokenId: bigint;
}

export type GetTokenProvenanceReturnType = TokenProvenanceView;

export type GetTokenProvenanceErrorType = VermilionError & { code: "TOKEN_NOT_FOUND" };

/** The full ordered history of a token: its mint, every transfer, its burn. */
export async function getTokenProvenance(
  deps: ProvenanceDeps,
  parameters: GetTokenProvenanceParameters,
): Promise<GetTokenProvenanceReturnType> {
  const { collection, tokenId } = parameters;
  // One query, one index range scan: the indexed block rides along on every row (a history is short).
  const [{ rows }, issuer] = await Promise.all([deps.db.query<
    IndexedBlockRow & {
      kind: ProvenanceEntry["kind"];
      mint_kind: string | null;
      mint_operator: string | null;
      voucher_nonce: string | null;
      voucher_signer: string | null;
      burn_reason: string | null;
      from_address: string;
      to_address: string;
      tx_hash: string;
      tx_index: number;
      block_number: bigint;
      block_hash: string;
      log_index: number;
      block_timestamp: bigint;
    }
  >(
    `SELECT tr.kind, tr.mint_kind, tr.mint_operator, tr.voucher_nonce, tr.voucher_signer, tr.burn_reason, tr.from_address, tr.to_address,
       tr.tx_hash, tr.tx_index, tr.block_number, tr.block_hash, tr.log_index, tr.block_timestamp, ${indexedBlockColumns}
     FROM indexer_transfers tr ${indexedBlockLateral}
     WHERE tr.chain_id = $1 AND tr.collection = $2 AND tr.token_id = $3
     ORDER BY tr.block_number, tr.log_index`,
    [deps.chainId, collection, tokenId],
  ), readCollectionIssuer(deps, { collection })]);
  if (rows.length === 0) throw new VermilionError("TOKEN_NOT_FOUND", { collection, tokenId: tokenId.toString() });
  const indexedBlock = toIndexedBlock(rows[0]!);
  const head = indexedBlock?.number ?? 0;
  const finalized = indexedBlock?.finalizedBlock ?? -1;
  return {
    collection,
    tokenId: tokenId.toString(),
    issuer,
    history: rows.map((row) => ({
      kind: row.kind,
      mintKind: row.mint_kind,
      mintOperator: row.mint_operator,
      voucher: row.voucher_nonce && row.voucher_signer ? { nonce: row.voucher_nonce, signer: row.voucher_signer } : null,
      burnReason: row.burn_reason,
      from: row.from_address,
      to: row.to_address,
      txHash: row.tx_hash,
      txIndex: row.tx_index,
      blockNumber: Number(row.block_number),
      blockHash: row.block_hash,
      logIndex: row.log_index,
      timestamp: Number(row.block_timestamp),
      confirmations: Math.max(0, head - Number(row.block_number) + 1),
      final: Number(row.block_number) <= finalized,
    })),
    indexedBlock,
  };
}
