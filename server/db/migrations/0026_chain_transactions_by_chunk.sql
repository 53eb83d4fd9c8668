-- A chunk's attempts are looked up by (job_id, chunk_index) on every step of the sender (its live
-- attempts, the receipt wait, settling, the supply check's latest attempt of each sent chunk); without
-- this index each look read the whole table, which grows by a row per transaction ever sent.
CREATE INDEX chain_transactions_chunk_idx ON chain_transactions (job_id, chunk_index, created_at);
