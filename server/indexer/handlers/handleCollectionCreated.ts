import type { EventHandler } from "../types.js";

import { recordUndo } from "../store/recordUndo.js";

/** CollectionCreated (factory): a new collection to follow. */
export const handleCollectionCreated: EventHandler = async (context, log) => {
  if (log.address !== context.factoryAddress) return;
  const { collection, admin, issuer, name, symbol, salt } = log.args as Record<string, string>;
  await recordUndo(context, log, "indexer_collections", { chain_id: context.chainId, address: collection as string });
  await context.tx.query(
    `INSERT INTO indexer_collections (chain_id, address, factory_address, name, symbol, admin, issuer, salt,
       created_block_number, created_tx_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (chain_id, address) DO NOTHING`,
    [context.chainId, collection, log.address, name, symbol, admin, issuer, salt, log.blockNumber, log.txHash],
  );
};
