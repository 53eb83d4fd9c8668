-- Editions created through the platform, with what the issuer submitted (the chain holds the
-- commitments; names, descriptions and attributes live in the metadata on IPFS and here for listing).
CREATE TABLE editions (
  chain_id bigint NOT NULL,
  collection_address text NOT NULL,
  edition_id bigint NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  max_supply integer NOT NULL,
  media_cid text NOT NULL,
  media_type text NOT NULL,
  media_sha256 text NOT NULL,
  thumbnail_cid text,
  poster_cid text,
  metadata_cid text NOT NULL,
  localized_metadata_cid text,
  royalty_receiver text NOT NULL,
  royalty_bps integer NOT NULL,
  transfer_policy text NOT NULL,
  hold_seconds integer NOT NULL,
  license text NOT NULL,
  attributes jsonb NOT NULL,
  tx_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chain_id, collection_address, edition_id)
);
