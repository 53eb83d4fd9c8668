-- A mint request, written before anything is signed.
CREATE TABLE mint_jobs (
  job_id uuid PRIMARY KEY,
  chain_id bigint NOT NULL,
  issuer_id uuid NOT NULL REFERENCES issuers (issuer_id),
  collection_address text NOT NULL,
  edition_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('mint', 'airdrop')),
  idempotency_key text NOT NULL,
  request_sha256 text NOT NULL,
  total_tokens integer NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'sending', 'completed', 'failed')),
  error_code text,
  error_details jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuer_id, idempotency_key)
);
CREATE INDEX mint_jobs_pending_idx ON mint_jobs (state, created_at) WHERE state IN ('queued', 'sending');

-- The transactions a job is split into. Chunks not yet mined (pending, sent) count against the
-- edition's supply when a new job is accepted, so concurrent requests can never oversell.: `recipient` (mint of `quantity`) or `recipients` (airdrop).
CREATE TABLE mint_chunks (
  job_id uuid NOT NULL REFERENCES mint_jobs (job_id),
  chunk_index integer NOT NULL,
  recipient text,
  quantity integer NOT NULL,
  recipients jsonb,
  state text NOT NULL CHECK (state IN ('pending', 'sent', 'mined', 'failed')),
  first_token_id numeric(78, 0),
  tx_hash text,
  PRIMARY KEY (job_id, chunk_index)
);

-- Every signed transaction, stored before it is broadcast: after a crash the sender rebroadcasts or
-- finds the receipt of exactly these bytes, so no nonce is used twice and no chunk is sent twice.
-- A replacement (same nonce, higher fee) is a new row with the same nonce.
CREATE TABLE chain_transactions (
  tx_hash text PRIMARY KEY,
  chain_id bigint NOT NULL,
  sender text NOT NULL,
  nonce bigint NOT NULL,
  job_id uuid NOT NULL,
  chunk_index integer NOT NULL,
  raw_transaction text NOT NULL,
  max_fee_per_gas numeric(78, 0) NOT NULL,
  max_priority_fee_per_gas numeric(78, 0) NOT NULL,
  state text NOT NULL CHECK (state IN ('signed', 'broadcast', 'mined', 'replaced', 'dropped')),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (job_id, chunk_index) REFERENCES mint_chunks (job_id, chunk_index)
);
CREATE INDEX chain_transactions_sender_nonce_idx ON chain_transactions (chain_id, sender, nonce);
