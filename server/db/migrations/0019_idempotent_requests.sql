-- Issuer writes answered once per Idempotency-Key (issue 19): the first successful answer is kept and
-- returned to every retry with the same key and the same request. Mints keep their own key column on
-- mint_jobs (0003), where the job itself is the answer. A failed request deletes its row, so a retry
-- runs again. A row 'running' past `running_until` was left by a crashed process and is taken over.
CREATE TABLE idempotent_requests (
  -- 'issuer:<issuer id>' or 'admin': keys are scoped to whoever sends them, like mint_jobs'.
  principal text NOT NULL,
  idempotency_key text NOT NULL,
  -- The route and its inputs (path parameters, body, uploaded files' digests), hashed.
  request_sha256 text NOT NULL,
  operation text NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'done')),
  running_until timestamptz,
  -- Who holds a running claim: a lease taken over after a crash gets a new one, so the process it was
  -- taken from (if it lived after all) cannot overwrite the answer or release the key.
  claim_id uuid,
  response_status integer,
  response_body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (principal, idempotency_key)
);
