import type { EventHandler } from "../types.js";

import { recordUndo } from "../store/recordUndo.js";
import { updateEdition } from "./updateEdition.js";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const SERIALS_PER_EDITION = 1_000_000n;

/**
 * Transfer: one step of a token's provenance. The transfer row is appended whatever the kind; the token
 * row is created by a mint, moved by a transfer and marked by a burn; the edition counts mints and burns.
 */
export const handleTransfer: EventHandler = async (context, log) => {
  const { from, to, tokenId } = log.args as { from: string; to: string; tokenId: bigint };
  const { chainId, tx } = context;
  const kind = from === ZERO_ADDRESS ? "mint" : to === ZERO_ADDRESS ? "burn" : "transfer";
  const origin = kind === "mint" ? (context.mintOrigins.get(`${log.txHash}:${log.address}`) ?? { kind: "issuer", operator: null }) : null;
  const mintKind = origin?.kind ?? null;
  await tx.query(
    `INSERT INTO indexer_transfers (chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp,
       collection, token_id, from_address, to_address, kind, mint_kind, mint_operator)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING`,
    [
      chainId,
      log.txHash,
      log.logIndex,
      log.txIndex,
      log.blockNumber,
      log.blockHash,
      log.blockTimestamp,
      log.address,
      tokenId,
      from,
      to,
      kind,
      mintKind,
      origin?.operator ?? null,
    ],
  );

  const tokenKey = { chain_id: chainId, collection: log.address, token_id: tokenId };
  const editionId = tokenId / SERIALS_PER_EDITION;
  await recordUndo(context, log, "indexer_tokens", tokenKey);
  if (kind === "mint") {
    // Restricted when minted under a non-free policy; the contract keeps that flag across transfers.
    await tx.query(
      `INSERT INTO indexer_tokens (chain_id, collection, token_id, edition_id, serial, owner, restricted, acquired_at,
         mint_kind, minted_block_number, minted_tx_hash)
       SELECT $1, $2, $3, $4, $5, $6,
         COALESCE((SELECT transfer_policy <> 'Free' FROM indexer_editions WHERE chain_id = $1 AND collection = $2 AND edition_id = $4), false),
         $7, $8, $9, $10
       ON CONFLICT (chain_id, collection, token_id) DO UPDATE SET owner = EXCLUDED.owner, burned = false`,
      [chainId, log.address, tokenId, editionId, tokenId % SERIALS_PER_EDITION, to, log.blockTimestamp, mintKind, log.blockNumber, log.txHash],
    );
    await updateEdition(context, log, editionId, "minted_count = minted_count + 1", []);
  } else if (kind === "burn") {
    await tx.query(
      "UPDATE indexer_tokens SET burned = true WHERE chain_id = $1 AND collection = $2 AND token_id = $3",
      [chainId, log.address, tokenId],
    );
    await updateEdition(context, log, editionId, "burned_count = burned_count + 1", []);
  } else {
    await tx.query(
      "UPDATE indexer_tokens SET owner = $4, acquired_at = $5 WHERE chain_id = $1 AND collection = $2 AND token_id = $3",
      [chainId, log.address, tokenId, to, log.blockTimestamp],
    );
  }
};
