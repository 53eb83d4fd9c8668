-- Transfer policies are spelled as the API spells them (server/tokens/transferPolicy.ts): free, hold,
-- soulbound. Journaled images of edition rows are respelled too, so a reorg never restores the old form.
UPDATE indexer_editions SET transfer_policy = lower(transfer_policy) WHERE transfer_policy <> lower(transfer_policy);
UPDATE indexer_undo SET old_row = jsonb_set(old_row, '{transfer_policy}', to_jsonb(lower(old_row->>'transfer_policy')))
  WHERE table_name = 'indexer_editions' AND old_row ? 'transfer_policy';
