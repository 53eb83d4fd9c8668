import type { ProvenanceEntry, TokenProvenanceView } from "../views/provenanceView.js";
import type { ProvenanceDeps } from "./ProvenanceDeps.js";

import { VermilionError } from "../errors/VermilionError.js";
import { readIndexedBlock } from "./readIndexedBlock.js";

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
  const [indexedBlock, { rows }] = await Promise.all([
    readIndexedBlock(deps),
    deps.db.query<{
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
    }>(
      `SELECT kind, mint_kind, mint_operator, voucher_nonce, voucher_signer, burn_reason, from_address, to_address, tx_hash, tx_index,
         block_number, block_hash, log_index, block_timestamp
       FROM indexer_transfers WHERE chain_id = $1 AND collection = $2 AND token_id = $3
       ORDER BY block_number, log_index`,
      [deps.chainId, collection, tokenId],
    ),
  ]);
  if (rows.length === 0) throw new VermilionError("TOKEN_NOT_FOUND", { collection, tokenId: tokenId.toString() });
  const head = indexedBlock?.number ?? 0;
  const finalized = indexedBlock?.finalizedBlock ?? -1;
  return {
    collection,
    tokenId: tokenId.toString(),
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
