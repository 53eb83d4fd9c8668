-- Contracts the platform deployed or adopted, per chain (the factory and its implementation).
CREATE TABLE deployments (
  chain_id bigint NOT NULL,
  contract_name text NOT NULL,
  address text NOT NULL,
  tx_hash text,
  block_number bigint,
  deployed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chain_id, contract_name)
);

CREATE TABLE issuers (
  issuer_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- API keys are stored as SHA-256 hashes only; the key itself is shown once at creation.
-- issuer_id NULL marks an admin key.
CREATE TABLE api_keys (
  key_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  issuer_id uuid REFERENCES issuers (issuer_id),
  key_sha256 text NOT NULL UNIQUE,
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX api_keys_issuer_idx ON api_keys (issuer_id);
