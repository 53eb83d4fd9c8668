import type { EventHandler } from "../types.js";

import { recordUndo } from "../store/recordUndo.js";

/** TokenBurned: the reason code of the burn whose Transfer (to zero) came just before, in the same transaction. */
export const handleTokenBurned: EventHandler = async (context, log) => {
  const { tokenId, reasonCode } = log.args as { tokenId: bigint; reasonCode: bigint };
  const { chainId, tx } = context;
  await tx.query(
    `UPDATE indexer_transfers SET burn_reason = $5
     WHERE chain_id = $1 AND tx_hash = $2 AND collection = $3 AND token_id = $4 AND kind = 'burn'`,
    [chainId, log.txHash, log.address, tokenId, reasonCode.toString()],
  );
  await recordUndo(context, log, "indexer_tokens", { chain_id: chainId, collection: log.address, token_id: tokenId });
  await tx.query("UPDATE indexer_tokens SET burn_reason = $4 WHERE chain_id = $1 AND collection = $2 AND token_id = $3", [
    chainId,
    log.address,
    tokenId,
    reasonCode.toString(),
  ]);
};
