-- Event indexer (server/indexer). Addresses and hashes are stored lowercase hex. Every row written from
-- a log carries its block number, block hash and log index, so a reorg can delete exactly what it retracts.

-- Where indexing stands, per chain and factory. Committed in the same transaction as the rows it covers.
-- finalized_block: the highest block the indexer has treated as final (head minus the reorg window when
-- it was written); a reorg whose common ancestor lies below it halts indexing (REORG_TOO_DEEP).
CREATE TABLE indexer_checkpoints (
  chain_id bigint NOT NULL,
  factory_address text NOT NULL,
  block_number bigint NOT NULL,
  block_hash text NOT NULL,
  block_timestamp bigint NOT NULL,
  finalized_block bigint NOT NULL,
  reorg_window bigint NOT NULL,
  halted_code text,
  halted_details jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chain_id, factory_address)
);

-- Hashes of recent blocks (every block inside the reorg window, older ones only as an anchor), to find
-- the common ancestor after a reorg.
CREATE TABLE indexer_blocks (
  chain_id bigint NOT NULL,
  block_number bigint NOT NULL,
  block_hash text NOT NULL,
  parent_hash text NOT NULL,
  block_timestamp bigint NOT NULL,
  PRIMARY KEY (chain_id, block_number)
);

-- Every log of the factory and its collections, raw and decoded.
CREATE TABLE indexer_events (
  chain_id bigint NOT NULL,
  tx_hash text NOT NULL,
  log_index integer NOT NULL,
  tx_index integer NOT NULL,
  block_number bigint NOT NULL,
  block_hash text NOT NULL,
  block_timestamp bigint NOT NULL,
  address text NOT NULL,
  event_name text,
  args jsonb,
  topics text[] NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (chain_id, tx_hash, log_index)
);
CREATE INDEX indexer_events_block_idx ON indexer_events (chain_id, block_number);
CREATE INDEX indexer_events_address_idx ON indexer_events (chain_id, address, event_name);

CREATE TABLE indexer_collections (
  chain_id bigint NOT NULL,
  address text NOT NULL,
  factory_address text NOT NULL,
  name text NOT NULL,
  symbol text NOT NULL,
  admin text NOT NULL,
  issuer text NOT NULL,
  salt text NOT NULL,
  paused boolean NOT NULL DEFAULT false,
  created_block_number bigint NOT NULL,
  created_tx_hash text NOT NULL,
  PRIMARY KEY (chain_id, address)
);

CREATE TABLE indexer_editions (
  chain_id bigint NOT NULL,
  collection text NOT NULL,
  edition_id bigint NOT NULL,
  max_supply bigint NOT NULL,
  minted_count bigint NOT NULL DEFAULT 0,
  burned_count bigint NOT NULL DEFAULT 0,
  sealed boolean NOT NULL DEFAULT false,
  closed_early boolean NOT NULL DEFAULT false,
  metadata_cid text NOT NULL,
  metadata_frozen boolean NOT NULL DEFAULT false,
  media_cid text NOT NULL,
  content_sha256 text NOT NULL,
  royalty_receiver text NOT NULL,
  royalty_bps bigint NOT NULL,
  transfer_policy text NOT NULL,
  hold_seconds bigint NOT NULL,
  created_block_number bigint NOT NULL,
  created_tx_hash text NOT NULL,
  PRIMARY KEY (chain_id, collection, edition_id)
);

-- Current state of each token. restricted: acquired under a non-free policy (the contract's RESTRICTED
-- flag, kept across transfers); acquired_at: block timestamp of its last mint or transfer.
CREATE TABLE indexer_tokens (
  chain_id bigint NOT NULL,
  collection text NOT NULL,
  token_id bigint NOT NULL,
  edition_id bigint NOT NULL,
  serial bigint NOT NULL,
  owner text NOT NULL,
  burned boolean NOT NULL DEFAULT false,
  burn_reason numeric(78, 0),
  restricted boolean NOT NULL,
  acquired_at bigint NOT NULL,
  mint_kind text NOT NULL,
  minted_block_number bigint NOT NULL,
  minted_tx_hash text NOT NULL,
  PRIMARY KEY (chain_id, collection, token_id)
);
CREATE INDEX indexer_tokens_owner_idx ON indexer_tokens (owner, chain_id, collection, token_id);
CREATE INDEX indexer_tokens_edition_idx ON indexer_tokens (chain_id, collection, edition_id, serial);
CREATE INDEX indexer_tokens_serial_idx ON indexer_tokens (serial);
CREATE INDEX indexer_tokens_token_id_idx ON indexer_tokens (token_id);

-- The provenance: every Transfer of every token. kind is mint, transfer or burn; mint_kind is issuer,
-- airdrop or voucher; mint_operator is the sender of an issuer mint or airdrop; voucher_* come from the
-- VoucherRedeemed log and burn_reason from the TokenBurned log of the same transaction.
CREATE TABLE indexer_transfers (
  chain_id bigint NOT NULL,
  tx_hash text NOT NULL,
  log_index integer NOT NULL,
  tx_index integer NOT NULL,
  block_number bigint NOT NULL,
  block_hash text NOT NULL,
  block_timestamp bigint NOT NULL,
  collection text NOT NULL,
  token_id bigint NOT NULL,
  from_address text NOT NULL,
  to_address text NOT NULL,
  kind text NOT NULL,
  mint_kind text,
  mint_operator text,
  voucher_nonce numeric(78, 0),
  voucher_signer text,
  burn_reason numeric(78, 0),
  PRIMARY KEY (chain_id, tx_hash, log_index)
);
CREATE INDEX indexer_transfers_token_idx ON indexer_transfers (chain_id, collection, token_id, block_number, log_index);
CREATE INDEX indexer_transfers_block_idx ON indexer_transfers (chain_id, block_number);
CREATE INDEX indexer_transfers_tx_idx ON indexer_transfers (tx_hash);

-- Role holders of the factory and every collection (AccessControl RoleGranted/RoleRevoked).
CREATE TABLE indexer_roles (
  chain_id bigint NOT NULL,
  contract text NOT NULL,
  role text NOT NULL,
  account text NOT NULL,
  granted boolean NOT NULL,
  PRIMARY KEY (chain_id, contract, role, account)
);

-- Undo journal for the derived tables (collections, editions, tokens, roles): the row image before a
-- change made by an unfinalized block, replayed newest first when a reorg retracts that block.
CREATE TABLE indexer_undo (
  undo_id bigserial PRIMARY KEY,
  chain_id bigint NOT NULL,
  block_number bigint NOT NULL,
  table_name text NOT NULL,
  row_key jsonb NOT NULL,
  old_row jsonb
);
CREATE INDEX indexer_undo_block_idx ON indexer_undo (chain_id, block_number);
