-- A mint job can wait on a condition that may pass without failing (issue 18): its sending key lost
-- the collection's issuing role (ISSUER_KEY_REVOKED: it resumes once the admin grants it back), its
-- issuer's gas budget is spent (ISSUER_GAS_BUDGET_EXCEEDED), the platform's funding key is empty
-- (GAS_FUNDING_EXHAUSTED) or the collection is paused (COLLECTION_PAUSED). The sender records why here
-- and clears it when the job moves on; GET /api/jobs/:id shows it as `waiting`.
ALTER TABLE mint_jobs ADD COLUMN waiting_code text;
ALTER TABLE mint_jobs ADD COLUMN waiting_details jsonb;
ALTER TABLE mint_jobs ADD COLUMN waiting_since timestamptz;
