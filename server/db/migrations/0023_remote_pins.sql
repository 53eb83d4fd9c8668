-- Remote pinning (issue 21): every media and metadata CID of an edition is also pinned on an IPFS
-- Pinning Service API endpoint (PINNING_SERVICE_URL), so the content outlives this platform's own node.
-- One row per CID (editions may share media), written with the edition's row and worked through by
-- every instance (server/storage/pinning/): claimed with FOR UPDATE SKIP LOCKED, the claim marked by
-- claim_id and a next_attempt_at pushed past the work, so a dead instance's claim simply falls due again.
-- state: pending (no request at the service yet, or one to make again), queued / pinning / pinned (the
-- service's own statuses for request_id), failed (the service gave up; requested again after a backoff),
-- rejected (the service refused us: a wrong token, no funds, a bad request; not retried until a restart).
CREATE TABLE remote_pins (
  cid text PRIMARY KEY,
  -- The name sent to the service: the first edition and role that stored the CID.
  name text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'queued', 'pinning', 'pinned', 'failed', 'rejected')),
  request_id text,
  -- Failures in a row (the backoff's exponent) and status polls of the current request.
  attempts integer NOT NULL DEFAULT 0,
  polls integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claim_id uuid,
  last_error_code text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  pinned_at timestamptz
);
-- What the workers look for: rows with something to do, soonest first.
CREATE INDEX remote_pins_due_idx ON remote_pins (next_attempt_at) WHERE state IN ('pending', 'queued', 'pinning', 'failed');

-- Editions created before this migration are pinned too once a service is configured.
INSERT INTO remote_pins (cid, name)
SELECT cid, min(name) FROM (
  SELECT media_cid AS cid, 'vermilion:' || chain_id || ':' || collection_address || ':' || edition_id || ':media' AS name FROM editions
  UNION ALL
  SELECT thumbnail_cid, 'vermilion:' || chain_id || ':' || collection_address || ':' || edition_id || ':thumbnail' FROM editions WHERE thumbnail_cid IS NOT NULL
  UNION ALL
  SELECT poster_cid, 'vermilion:' || chain_id || ':' || collection_address || ':' || edition_id || ':poster' FROM editions WHERE poster_cid IS NOT NULL
  UNION ALL
  SELECT metadata_cid, 'vermilion:' || chain_id || ':' || collection_address || ':' || edition_id || ':metadata' FROM editions
  UNION ALL
  SELECT localized_metadata_cid, 'vermilion:' || chain_id || ':' || collection_address || ':' || edition_id || ':localizedMetadata' FROM editions WHERE localized_metadata_cid IS NOT NULL
) AS edition_cids GROUP BY cid;
