-- The template of each metadata directory the platform wrote (server/storage/metadata/metadataTemplate.ts):
-- the parsed edition input and the localized directory's CID, as JSON text. A serial's document is
-- rendered from it on a token read instead of walking the directory in the IPFS store. Keyed by the
-- directory's CID alone: content-addressed, so the same on every chain and never stale.
CREATE TABLE metadata_templates (
  metadata_cid text PRIMARY KEY,
  template text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
