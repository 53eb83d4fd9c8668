-- Cluster roles (the mint sender of a signing key, the indexer writer): one holder at a time.
-- `epoch` is the fencing token: it grows by one at every change of holder, and every write a holder
-- makes checks it in the same transaction, so a deposed holder's late writes are refused.
-- Expiry is judged by the database's clock only, so instances' clocks need not agree.
CREATE TABLE leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  epoch bigint NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
