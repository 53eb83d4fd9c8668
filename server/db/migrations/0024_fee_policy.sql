-- Fees a finance team can sign off (server/chain/fees/, docs/minting.md "Fees").
-- The type a mint transaction was signed with: a replacement is signed with the same type, and the
-- stored signed bytes are re-broadcast as they are. Rows from before this migration were all EIP-1559.
ALTER TABLE chain_transactions ADD COLUMN tx_type text NOT NULL DEFAULT 'eip1559' CHECK (tx_type IN ('eip1559', 'legacy'));

-- The deployment's hourly gas budget (GAS_BUDGET_PER_HOUR_ETH): per clock hour (UTC), the worst-case
-- cost (gas limit × max fee per gas) of every transaction the platform signed in it. Kept here so that
-- neither a restart nor a second instance finds the hour's budget fresh.
CREATE TABLE gas_budget_hours (
  chain_id bigint NOT NULL,
  hour_start timestamptz NOT NULL,
  charged_wei numeric(78, 0) NOT NULL CHECK (charged_wei >= 0),
  PRIMARY KEY (chain_id, hour_start)
);
