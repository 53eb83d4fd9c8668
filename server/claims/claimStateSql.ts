/**
 * The joins and the expression that say where a code stands (`ClaimState`), shared by the public view,
 * the batch counts and the code list so they never disagree. `c` is claim_codes, `b` its batch, `k` the
 * mint chunk it was dispatched into and `j` that chunk's job. Cases, in order:
 * 1. cancelled by the issuer (singly or with its batch);
 * 2. open past the batch's expiry: expired;
 * 3. open and held by a device that opened it: held; otherwise open;
 * 4. claimed and not yet in a job: claimed;
 * 5. in a job: minted once its chunk is mined, failed if the chunk or job failed, minting until then.
 */
export const CLAIM_JOINS = `claim_codes c JOIN claim_batches b ON b.batch_id = c.batch_id
  LEFT JOIN mint_chunks k ON k.job_id = c.job_id AND k.chunk_index = c.chunk_index
  LEFT JOIN mint_jobs j ON j.job_id = c.job_id`;

export const CLAIM_STATE_SQL = `CASE
  WHEN c.state = 'cancelled' THEN 'cancelled'
  WHEN c.state = 'open' AND b.expires_at <= now() THEN 'expired'
  WHEN c.state = 'open' AND c.held_until > now() THEN 'held'
  WHEN c.state = 'open' THEN 'open'
  WHEN c.job_id IS NULL THEN 'claimed'
  WHEN k.state = 'mined' THEN 'minted'
  WHEN k.state = 'failed' OR j.state = 'failed' THEN 'failed'
  ELSE 'minting'
END`;

/** The token a minted code yielded: its chunk's first token + its place in the chunk. */
export const CLAIM_TOKEN_ID_SQL = `CASE WHEN k.state = 'mined' AND k.first_token_id IS NOT NULL
  THEN (k.first_token_id + c.index_in_chunk)::text END`;
