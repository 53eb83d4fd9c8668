import { onchainTable } from "ponder";

/** Every Transfer, as the platform's indexer keeps it in indexer_transfers. */
export const transfer = onchainTable("transfer", (t) => ({
  id: t.text().primaryKey(),
  tokenId: t.bigint().notNull(),
  from: t.hex().notNull(),
  to: t.hex().notNull(),
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
}));

/** Each token's current owner, as the platform's indexer keeps it in indexer_tokens. */
export const token = onchainTable("token", (t) => ({
  id: t.bigint().primaryKey(),
  owner: t.hex().notNull(),
}));
