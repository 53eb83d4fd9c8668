-- Voucher nonces cancelled on chain (issue 19): one row per VoucherCancelled log of a collection, whoever
-- sent cancelVouchers (the platform from the operating key, or the issuer from its own wallet). Rows are
-- logs, like indexer_transfers: a reorg deletes those of retracted blocks by block number
-- (server/indexer/store/revertToAncestor.ts), so no undo journal is needed. A cancelled voucher holds no
-- supply (server/indexer/store/unredeemedVouchers.ts). The contract emits the event once per nonce, but
-- the key is the log's, so a replayed range stays idempotent and a reorg that re-mines the cancellation
-- in another block simply yields the new row.
CREATE TABLE indexer_voucher_cancellations (
  chain_id bigint NOT NULL,
  tx_hash text NOT NULL,
  log_index integer NOT NULL,
  block_number bigint NOT NULL,
  block_hash text NOT NULL,
  block_timestamp bigint NOT NULL,
  collection text NOT NULL,
  nonce numeric(78, 0) NOT NULL,
  canceller text NOT NULL,
  PRIMARY KEY (chain_id, tx_hash, log_index)
);
CREATE INDEX indexer_voucher_cancellations_nonce_idx ON indexer_voucher_cancellations (chain_id, collection, nonce);
CREATE INDEX indexer_voucher_cancellations_block_idx ON indexer_voucher_cancellations (chain_id, block_number);

-- Cancellations an indexer without this table already stored as raw events (decoded args: nonce as a
-- decimal string, canceller lowercase).
INSERT INTO indexer_voucher_cancellations (chain_id, tx_hash, log_index, block_number, block_hash, block_timestamp,
  collection, nonce, canceller)
SELECT chain_id, tx_hash, log_index, block_number, block_hash, block_timestamp, address, (args->>'nonce')::numeric,
  args->>'canceller'
FROM indexer_events WHERE event_name = 'VoucherCancelled'
ON CONFLICT (chain_id, tx_hash, log_index) DO NOTHING;
