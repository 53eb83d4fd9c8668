-- One finality depth (issue 21): the API's `final` flags and `indexedBlock.finalizedBlock` follow
-- CONFIRMATIONS, not the reorg window. The indexer writes, with each checkpoint, the highest block with
-- CONFIRMATIONS confirmations at that checkpoint (server/chain/finality.ts, `finalBlockAt`); readers take it
-- in place of `finalized_block`, which stays what it was: the floor of the reorg window (undo journal
-- pruning, REORG_TOO_DEEP). A checkpoint written before this migration has none until the next range
-- commits, and answers with `finalized_block` as before. indexer_token_read (0104) keeps its result type
-- and reads the new column.
ALTER TABLE indexer_checkpoints ADD COLUMN final_block bigint;

CREATE OR REPLACE FUNCTION indexer_token_read(p_chain_id bigint, p_collection text, p_token_id bigint)
RETURNS TABLE (
  chain_id bigint, collection text, token_id bigint, edition_id bigint, serial bigint, owner text, burned boolean,
  burn_reason numeric, restricted boolean, acquired_at bigint, mint_kind text, minted_block_number bigint, minted_tx_hash text,
  max_supply bigint, metadata_cid text, metadata_frozen boolean, media_cid text, content_sha256 text, royalty_receiver text,
  royalty_bps bigint, transfer_policy text, hold_seconds bigint, name text, symbol text, paused boolean,
  edition_name text, metadata_template text, issuer_address text, issuer_name text,
  checkpoint_block_number bigint, checkpoint_block_hash text, checkpoint_block_timestamp bigint, checkpoint_finalized_block bigint,
  checkpoint_halted_code text
)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT t.chain_id, t.collection, t.token_id, t.edition_id, t.serial, t.owner, t.burned,
    t.burn_reason::numeric, t.restricted, t.acquired_at, t.mint_kind, t.minted_block_number, t.minted_tx_hash,
    e.max_supply, e.metadata_cid, e.metadata_frozen, e.media_cid, e.content_sha256, e.royalty_receiver, e.royalty_bps,
    e.transfer_policy, e.hold_seconds, c.name, c.symbol, c.paused,
    (SELECT pe.name FROM editions pe WHERE pe.chain_id = t.chain_id AND pe.collection_address = t.collection AND pe.edition_id = t.edition_id),
    (SELECT mt.template FROM metadata_templates mt WHERE mt.metadata_cid = e.metadata_cid),
    COALESCE(
      (SELECT r.account FROM indexer_roles r
       WHERE r.chain_id = t.chain_id AND r.contract = t.collection AND r.role = '0x0000000000000000000000000000000000000000000000000000000000000000' AND r.granted
       ORDER BY COALESCE(r.account = lower(pi.address), false) DESC, (r.account = c.admin) DESC, r.account LIMIT 1),
      c.admin),
    pi.name,
    k.block_number, k.block_hash, k.block_timestamp, COALESCE(k.final_block, k.finalized_block), k.halted_code
  FROM indexer_tokens t
  JOIN indexer_editions e ON e.chain_id = t.chain_id AND e.collection = t.collection AND e.edition_id = t.edition_id
  JOIN indexer_collections c ON c.chain_id = t.chain_id AND c.address = t.collection
  LEFT JOIN collections pc ON pc.chain_id = t.chain_id AND pc.address = t.collection
  LEFT JOIN issuers pi ON pi.issuer_id = pc.issuer_id
  LEFT JOIN LATERAL (
    SELECT ic.block_number, ic.block_hash, ic.block_timestamp, ic.final_block, ic.finalized_block, ic.halted_code FROM indexer_checkpoints ic
    WHERE ic.chain_id = p_chain_id ORDER BY ic.block_number DESC LIMIT 1
  ) k ON true
  WHERE t.chain_id = p_chain_id AND t.collection = p_collection AND t.token_id = p_token_id; END
$$;
