-- A custodial issuer taking custody (docs/issuers.md): the statement its wallet signed is recorded
-- before anything is sent, so a crash or a failed step leaves a transfer the next request or the next
-- start finishes (each on-chain step is skipped when the chain says it is done). At most one transfer
-- per issuer is pending; while it is, new collections of the issuer get the wallet as admin.
CREATE TABLE custody_transfers (
  transfer_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chain_id bigint NOT NULL,
  issuer_id uuid NOT NULL REFERENCES issuers (issuer_id),
  -- The signed IssuerCustodyTransfer statement, as signed.
  account text NOT NULL,
  keep_operating_key boolean NOT NULL,
  deadline numeric(78, 0) NOT NULL,
  signature text NOT NULL,
  -- The keys it moves away from, as they were when it was recorded.
  custodial_admin text NOT NULL,
  operating_address text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'completed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE UNIQUE INDEX custody_transfers_one_pending_idx ON custody_transfers (issuer_id) WHERE state = 'pending';
CREATE INDEX custody_transfers_open_idx ON custody_transfers (chain_id) WHERE state = 'pending';
