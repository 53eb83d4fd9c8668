-- Edition verifications run as background jobs. Kept here, not in process memory, so any instance of
-- a cluster answers a poll for a job another one runs. A running job's updated_at is its heartbeat.
CREATE TABLE verification_jobs (
  job_id uuid PRIMARY KEY,
  state text NOT NULL,
  done integer NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  result jsonb,
  error jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX verification_jobs_finished_idx ON verification_jobs (state, updated_at);
