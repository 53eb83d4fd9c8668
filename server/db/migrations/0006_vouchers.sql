-- Vouchers the platform signed. Until it is redeemed or expires, a voucher holds its quantity of the
-- edition's supply, so a later mint job cannot be accepted for tokens a collector may still claim.
CREATE TABLE issued_vouchers (
  chain_id bigint NOT NULL,
  collection_address text NOT NULL,
  edition_id bigint NOT NULL,
  nonce numeric(78, 0) NOT NULL,
  recipient text NOT NULL,
  quantity bigint NOT NULL,
  deadline bigint NOT NULL,
  issuer_id uuid NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chain_id, collection_address, nonce)
);
CREATE INDEX issued_vouchers_edition_idx ON issued_vouchers (chain_id, collection_address, edition_id, deadline);
