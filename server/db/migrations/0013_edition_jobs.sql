-- Large editions: the request validates and stores the media, records the job here, and answers 202;
-- a worker (one per chain and signer across the cluster, under a lease) builds the metadata, creates
-- the edition on chain and records it. Every step is written before the next starts, so a job
-- interrupted anywhere resumes: at most the metadata is rebuilt (the same CIDs: `request` fixes every
-- input, its creation time included), and the edition is never created twice on chain (the metadata
-- CID recorded before sending identifies the edition an earlier attempt created).
CREATE TABLE edition_jobs (
  job_id uuid PRIMARY KEY,
  chain_id bigint NOT NULL,
  issuer_id uuid NOT NULL REFERENCES issuers (issuer_id),
  collection_address text NOT NULL,
  -- The edition's fields, its stored media (CIDs, SHA-256) and its `created` time.
  request jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'building', 'sending', 'completed', 'failed')),
  documents_written bigint NOT NULL DEFAULT 0,
  documents_total bigint NOT NULL,
  -- Recorded just before the createEdition transaction is sent.
  predicted_edition_id bigint,
  sent_metadata_cid text,
  sent_from_block bigint,
  -- Recorded once it is mined.
  edition_id bigint,
  tx_hash text,
  attempts integer NOT NULL DEFAULT 0,
  -- The body the synchronous route answers, once completed.
  result jsonb,
  error_code text,
  error_details jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX edition_jobs_pending_idx ON edition_jobs (chain_id, created_at) WHERE state IN ('queued', 'building', 'sending');
