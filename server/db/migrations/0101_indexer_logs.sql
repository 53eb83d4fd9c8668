-- A Transfer log is kept once, as its provenance row in indexer_transfers, which holds every field of the
-- log; its raw copy in indexer_events doubled what a backfill writes per transfer. The view indexer_logs
-- gives every log of the factory and its collections again, raw and decoded, with the Transfers'
-- topics and data rebuilt from their rows (the indexer leaves out of indexer_events only Transfers that
-- this rebuilds exactly: padded addresses, the token id as the third topic, empty data).
CREATE VIEW indexer_logs AS
SELECT chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp, address, event_name, args,
  topics, data
FROM indexer_events
UNION ALL
SELECT chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp, collection, 'Transfer',
  jsonb_build_object('from', from_address, 'to', to_address, 'tokenId', token_id::text),
  ARRAY['0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
    '0x' || repeat('0', 24) || substr(from_address, 3), '0x' || repeat('0', 24) || substr(to_address, 3),
    '0x' || lpad(to_hex(token_id), 64, '0')],
  '0x'
FROM indexer_transfers t
WHERE NOT EXISTS (SELECT 1 FROM indexer_events e WHERE e.chain_id = t.chain_id AND e.tx_hash = t.tx_hash AND e.log_index = t.log_index);

-- Raw copies the view now rebuilds (indexes written by earlier versions).
DELETE FROM indexer_events e USING indexer_transfers t
WHERE e.event_name = 'Transfer' AND e.chain_id = t.chain_id AND e.tx_hash = t.tx_hash AND e.log_index = t.log_index
  AND e.data = '0x' AND e.topics = ARRAY['0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
    '0x' || repeat('0', 24) || substr(t.from_address, 3), '0x' || repeat('0', 24) || substr(t.to_address, 3),
    '0x' || lpad(to_hex(t.token_id), 64, '0')]
  AND e.args = jsonb_build_object('from', t.from_address, 'to', t.to_address, 'tokenId', t.token_id::text);

-- Nothing reads events by address and name; the index only slowed every insert.
DROP INDEX indexer_events_address_idx;
