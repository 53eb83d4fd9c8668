-- GET /api/jobs (issue 19): an issuer's mint and edition jobs, newest first, a page at a time by
-- (created_at, job_id); these indexes serve each page without reading the issuer's older jobs.
CREATE INDEX mint_jobs_issuer_created_idx ON mint_jobs (chain_id, issuer_id, created_at DESC, job_id DESC);
CREATE INDEX edition_jobs_issuer_created_idx ON edition_jobs (chain_id, issuer_id, created_at DESC, job_id DESC);

-- runIdempotently stores a key's SHA-256 here, never the key: the key opens sealed answers (new API keys).
COMMENT ON COLUMN idempotent_requests.idempotency_key IS 'SHA-256 (hex) of the Idempotency-Key header';
