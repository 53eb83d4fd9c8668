-- The token route names who issued the token (issue 18): indexer_token_read (0103) gains issuer_address and
-- issuer_name, read as server/provenance/collectionIssuer.ts reads them for the other routes:
-- 1. The address is the collection's admin as the index knows it: an account holding DEFAULT_ADMIN_ROLE
--    (indexer_roles), preferring the issuer's registered address, then the admin the factory named at
--    creation; the creation's admin when nobody holds the role any more.
-- 2. The name is the platform's issuer of the collection, when the platform made it.
-- Numbered after 0103 (not in the 0016..0019 range of the issue's other migrations) because it replaces
-- the function 0103 creates, and migrations run in name order. A new result type needs DROP, not REPLACE.
DROP FUNCTION indexer_token_read(bigint, text, bigint);

CREATE FUNCTION indexer_token_read(p_chain_id bigint, p_collection text, p_token_id bigint)
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
    k.block_number, k.block_hash, k.block_timestamp, k.finalized_block, k.halted_code
  FROM indexer_tokens t
  JOIN indexer_editions e ON e.chain_id = t.chain_id AND e.collection = t.collection AND e.edition_id = t.edition_id
  JOIN indexer_collections c ON c.chain_id = t.chain_id AND c.address = t.collection
  LEFT JOIN collections pc ON pc.chain_id = t.chain_id AND pc.address = t.collection
  LEFT JOIN issuers pi ON pi.issuer_id = pc.issuer_id
  LEFT JOIN LATERAL (
    SELECT ic.block_number, ic.block_hash, ic.block_timestamp, ic.finalized_block, ic.halted_code FROM indexer_checkpoints ic
    WHERE ic.chain_id = p_chain_id ORDER BY ic.block_number DESC LIMIT 1
  ) k ON true
  WHERE t.chain_id = p_chain_id AND t.collection = p_collection AND t.token_id = p_token_id; END
$$;
