-- Collections the platform created for issuers. The row is written before the transaction is sent,
-- with the clone's address predicted from its salt, so a crash between the two is reconciled by
-- looking for code at that address.
CREATE TABLE collections (
  collection_id uuid PRIMARY KEY,
  chain_id bigint NOT NULL,
  issuer_id uuid NOT NULL REFERENCES issuers (issuer_id),
  address text NOT NULL,
  salt text NOT NULL,
  name text NOT NULL,
  symbol text NOT NULL,
  contract_uri text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('pending', 'deployed')),
  tx_hash text,
  block_number bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (chain_id, address)
);
CREATE INDEX collections_issuer_idx ON collections (issuer_id, created_at);
