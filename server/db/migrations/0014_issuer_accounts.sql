-- Every issuer is its own address on chain (issue 18). key_index is the issuer's BIP-44 account
-- (m/44'/60'/<key_index>'/0/…) under the platform's issuer-keys mnemonic: address index 0 is the
-- custodial admin key, address index 1 the operating key that sends the issuer's day-to-day mints.
-- Index 0 is never used, so no issuer key is ever the platform's own (Anvil's and Hardhat's dev
-- accounts sit at m/44'/60'/0'/0/i).
CREATE SEQUENCE issuer_key_index_seq START 1;
ALTER TABLE issuers ADD COLUMN key_index integer NOT NULL DEFAULT nextval('issuer_key_index_seq');
ALTER TABLE issuers ADD CONSTRAINT issuers_key_index_key UNIQUE (key_index);
-- The issuer's admin address: the derived custodial key, or the wallet the issuer registered by
-- signing (custody 'self'). NULL only for issuers made before this migration until the server fills
-- it in at start (the derivation needs the mnemonic, which the database never sees).
ALTER TABLE issuers ADD COLUMN address text;
ALTER TABLE issuers ADD CONSTRAINT issuers_address_key UNIQUE (address);
ALTER TABLE issuers ADD COLUMN custody text NOT NULL DEFAULT 'custodial' CHECK (custody IN ('custodial', 'self'));
ALTER TABLE issuers ADD COLUMN operating_address text;
ALTER TABLE issuers ADD CONSTRAINT issuers_operating_address_key UNIQUE (operating_address);

-- Who a collection was created for: the admin and the issuing (operating) key given to the factory.
-- NULL for collections made before this migration, whose admin and issuer were the platform's key
-- (docs/issuers.md: handing them over).
ALTER TABLE collections ADD COLUMN admin_address text;
ALTER TABLE collections ADD COLUMN operating_address text;

-- The key that sends a mint job: the collection's operating key when the job was accepted. NULL for
-- jobs accepted before this migration; the server sets those to the platform's key at start.
ALTER TABLE mint_jobs ADD COLUMN sender text;
CREATE INDEX mint_jobs_sender_open_idx ON mint_jobs (chain_id, sender, created_at) WHERE state IN ('queued', 'sending');
