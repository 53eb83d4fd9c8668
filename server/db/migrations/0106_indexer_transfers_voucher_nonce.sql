-- Which mints a voucher paid for: supply admission (unredeemedVouchers), the voucher views and the
-- hand-over all look transfers up by voucher nonce, which scanned the whole table per voucher. Partial:
-- only voucher mints carry a nonce.
CREATE INDEX indexer_transfers_voucher_nonce_idx ON indexer_transfers (chain_id, collection, voucher_nonce)
  WHERE voucher_nonce IS NOT NULL;
