-- Gas for issuers' keys: the platform's funding key (its own signer) tops up an issuer's operating or
-- custodial admin key before that key sends, so issuers never acquire gas (docs/issuers.md). Each top-up
-- is signed and stored before it is broadcast, so a crash neither loses nor repeats it, and the sum of
-- an issuer's top-ups over the budget window is its spending, checked against ISSUER_GAS_BUDGET_ETH.
CREATE TABLE gas_top_ups (
  tx_hash text PRIMARY KEY,
  chain_id bigint NOT NULL,
  issuer_id uuid NOT NULL REFERENCES issuers (issuer_id),
  recipient text NOT NULL,
  amount_wei numeric(78, 0) NOT NULL,
  raw_transaction text NOT NULL,
  -- signed: stored, maybe broadcast; mined: in a block; dropped: its nonce went to another transaction.
  state text NOT NULL CHECK (state IN ('signed', 'mined', 'dropped')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gas_top_ups_issuer_idx ON gas_top_ups (chain_id, issuer_id, created_at);
CREATE INDEX gas_top_ups_open_idx ON gas_top_ups (chain_id) WHERE state = 'signed';
