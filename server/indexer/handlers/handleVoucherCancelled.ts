import type { EventHandler } from "../types.js";

/**
 * VoucherCancelled: records the cancelled nonce as a row of its own, keyed by the log, so a reorg deletes
 * it with its block (no journal) and supply stops counting the voucher as soon as the log is indexed.
 */
export const handleVoucherCancelled: EventHandler = async (context, log) => {
  const { nonce, canceller } = log.args as { nonce: bigint; canceller: string };
  await context.tx.query(
    `INSERT INTO indexer_voucher_cancellations (chain_id, tx_hash, log_index, block_number, block_hash, block_timestamp,
       collection, nonce, canceller)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (chain_id, tx_hash, log_index) DO NOTHING`,
    [
      context.chainId,
      log.txHash,
      log.logIndex,
      log.blockNumber,
      log.blockHash,
      log.blockTimestamp,
      log.address,
      nonce.toString(),
      canceller,
    ],
  );
};
