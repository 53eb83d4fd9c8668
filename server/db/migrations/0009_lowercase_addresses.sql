-- Addresses are stored lowercase in every table (server/chain/toStoredAddress.ts), as the index stores
-- them, so no query needs lower() and equal addresses compare equal. Platform tables held checksummed
-- addresses before; lowercasing keeps every key unique, since each key's address was checksummed from
-- one lowercase form. The recipients of an airdrop chunk are a JSON array of addresses and nothing else,
-- so lowercasing its text lowercases exactly them.
UPDATE deployments SET address = lower(address) WHERE address <> lower(address);
UPDATE collections SET address = lower(address) WHERE address <> lower(address);
UPDATE mint_jobs SET collection_address = lower(collection_address) WHERE collection_address <> lower(collection_address);
UPDATE mint_chunks SET recipient = lower(recipient) WHERE recipient <> lower(recipient);
UPDATE mint_chunks SET recipients = lower(recipients::text)::jsonb WHERE recipients::text <> lower(recipients::text);
UPDATE chain_transactions SET sender = lower(sender) WHERE sender <> lower(sender);
UPDATE editions SET collection_address = lower(collection_address), royalty_receiver = lower(royalty_receiver)
  WHERE collection_address <> lower(collection_address) OR royalty_receiver <> lower(royalty_receiver);
UPDATE issued_vouchers SET collection_address = lower(collection_address), recipient = lower(recipient)
  WHERE collection_address <> lower(collection_address) OR recipient <> lower(recipient);
