-- Voucher cancellation through the API (issue 19): the issuer cancels a voucher's nonce on chain
-- (cancelVouchers, sent from the collection's operating key); once the receipt is in, cancelled_at is
-- set and the voucher stops holding its quantity of the edition's supply at once, without waiting for
-- the index. The signature is kept from now on, so the console can show a voucher's link again; NULL
-- for vouchers signed before.
ALTER TABLE issued_vouchers ADD COLUMN signature text;
ALTER TABLE issued_vouchers ADD COLUMN cancelled_at timestamptz;
ALTER TABLE issued_vouchers ADD COLUMN cancel_tx_hash text;
-- The console lists an edition's vouchers newest first, a page at a time.
CREATE INDEX issued_vouchers_listing_idx ON issued_vouchers (chain_id, collection_address, edition_id, issued_at DESC, nonce DESC);
