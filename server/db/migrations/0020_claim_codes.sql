-- Claim codes (issue 19, the exhibition case): an issuer prints a batch of one-time codes for an
-- edition; a visitor who scans one names an address and the platform mints to it. The codes themselves
-- are never stored: each is derived from the batch id and its number with a key only the server holds
-- (server/claims/claimCodes.ts), and the database keeps only its SHA-256, so a leaked database claims
-- nothing. Open and claimed-but-not-dispatched codes hold the edition's supply, as vouchers do.
CREATE TABLE claim_batches (
  batch_id uuid PRIMARY KEY,
  chain_id bigint NOT NULL,
  issuer_id uuid NOT NULL REFERENCES issuers (issuer_id),
  collection_address text NOT NULL,
  edition_id bigint NOT NULL,
  label text,
  code_count integer NOT NULL CHECK (code_count > 0),
  expires_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claim_batches_edition_idx ON claim_batches (chain_id, collection_address, edition_id, created_at);

-- One row per code. state is what was decided here: open, claimed (bound to `recipient`) or cancelled;
-- expired, held, minting and minted are read from the batch's expiry, the hold and the mint job.
-- A claimed code is gathered into an airdrop job by the claim dispatcher: job_id, chunk_index and
-- index_in_chunk are set in the transaction that creates the job, so its token is the chunk's first
-- token id + index_in_chunk.
CREATE TABLE claim_codes (
  code_sha256 text PRIMARY KEY,
  batch_id uuid NOT NULL REFERENCES claim_batches (batch_id),
  number integer NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'claimed', 'cancelled')),
  hold_token_sha256 text,
  held_until timestamptz,
  recipient text,
  claimed_at timestamptz,
  cancelled_at timestamptz,
  job_id uuid,
  chunk_index integer,
  index_in_chunk integer,
  UNIQUE (batch_id, number),
  FOREIGN KEY (job_id, chunk_index) REFERENCES mint_chunks (job_id, chunk_index)
);
CREATE INDEX claim_codes_batch_state_idx ON claim_codes (batch_id, state);
-- What the dispatcher looks for: claimed codes not yet in a job.
CREATE INDEX claim_codes_undispatched_idx ON claim_codes (claimed_at) WHERE state = 'claimed' AND job_id IS NULL;
