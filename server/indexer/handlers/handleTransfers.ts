import type { HandlerContext, IndexedLog } from "../types.js";

import { recordUndo } from "../store/recordUndo.js";
import { SERIALS_PER_EDITION, decodeTokenId } from "vermilion-verify/shared/tokenIds.js";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

type TransferArgs = { from: string; to: string; tokenId: bigint };

interface TokenChanges {
  collection: string;
  tokenId: bigint;
  /** Position in the run of the last mint, transfer and burn of the token (-1: none). */
  lastMint: { log: IndexedLog; to: string; index: number } | null;
  lastTransfer: { log: IndexedLog; to: string; index: number } | null;
  lastBurnIndex: number;
}

function kindOf({ from, to }: TransferArgs): "mint" | "burn" | "transfer" {
  return from === ZERO_ADDRESS ? "mint" : to === ZERO_ADDRESS ? "burn" : "transfer";
}

/**
 * Transfer, for a run of consecutive Transfer logs with no other handled event between them: each is
 * one step of a token's provenance. Every transfer row is appended whatever its kind (a row already
 * stored is left as it is and not applied again; the count of new rows is returned); a mint creates the
 * token row, a transfer moves it, a burn marks it; the edition counts mints and burns. The run is applied
 * with one statement per table instead of one per log, which is what makes a backfill of millions of
 * transfers fast; the result is the same as applying the logs one by one, because a token's final row
 * depends only on its last mint and on what came after it. Inside the reorg window the caller passes
 * runs of one block, so the journaled image of a row is its image before that block.
 */
export async function handleTransfers(context: HandlerContext, logs: readonly IndexedLog[]): Promise<{ insertedTransfers: number }> {
  if (logs.length === 0) return { insertedTransfers: 0 };
  const { chainId, tx } = context;
  const candidateRows = logs.map((log) => {
    const args = log.args as TransferArgs;
    const kind = kindOf(args);
    const origin = kind === "mint" ? (context.mintOrigins.get(`${log.txHash}:${log.address}`) ?? { kind: "issuer", operator: null }) : null;
    return { log, args, kind, mintKind: origin?.kind ?? null, mintOperator: origin?.operator ?? null };
  });
  // What a transaction's logs share (hash, block, collection) goes once per transaction and is joined
  // back by position: it is most of a row's bytes, and a backfill's transactions carry hundreds of logs.
  const sources = new Map<string, number>();
  const sourceLogs: IndexedLog[] = [];
  const sourceOf = candidateRows.map(({ log }) => {
    const key = `${log.txHash}:${log.address}`;
    let position = sources.get(key);
    if (position === undefined) {
      position = sourceLogs.push(log);
      sources.set(key, position);
    }
    return String(position);
  });
  const { rows: inserted } = await tx.query<{ tx_hash: string; log_index: number }>(
    `INSERT INTO indexer_transfers (chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp,
       collection, token_id, from_address, to_address, kind, mint_kind, mint_operator)
     SELECT $1::int8, s.tx_hash, r.log_index::int4, s.tx_index::int4, s.block_number::int8, s.block_hash,
       s.block_timestamp::int8, s.collection, r.token_id::int8, r.from_address, r.to_address, r.kind, r.mint_kind, r.mint_operator
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       AS r(source, log_index, token_id, from_address, to_address, kind, mint_kind, mint_operator)
     JOIN unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[]) WITH ORDINALITY
       AS s(tx_hash, tx_index, block_number, block_hash, block_timestamp, collection, position) ON s.position = r.source::int8
     ON CONFLICT (chain_id, tx_hash, log_index) DO NOTHING RETURNING tx_hash, log_index`,
    [
      chainId,
      sourceOf,
      candidateRows.map((row) => String(row.log.logIndex)),
      candidateRows.map((row) => row.args.tokenId.toString()),
      candidateRows.map((row) => row.args.from),
      candidateRows.map((row) => row.args.to),
      candidateRows.map((row) => row.kind),
      candidateRows.map((row) => row.mintKind),
      candidateRows.map((row) => row.mintOperator),
      sourceLogs.map((log) => log.txHash),
      sourceLogs.map((log) => String(log.txIndex)),
      sourceLogs.map((log) => log.blockNumber.toString()),
      sourceLogs.map((log) => log.blockHash),
      sourceLogs.map((log) => log.blockTimestamp.toString()),
      sourceLogs.map((log) => log.address),
    ],
  );

  // A row already there was applied by the transaction that stored it; only new ones change the state.
  const isNew = new Set(inserted.map((row) => `${row.tx_hash}:${row.log_index}`));
  const transferRows = candidateRows.filter((row) => isNew.has(`${row.log.txHash}:${row.log.logIndex}`));
  if (transferRows.length === 0) return { insertedTransfers: 0 };

  // Fold the run per token, and count mints and burns per edition.
  const tokens = new Map<string, TokenChanges>();
  const editions = new Map<string, { log: IndexedLog; editionId: bigint; minted: number; burned: number }>();
  transferRows.forEach((row, index) => {
    const key = `${row.log.address}:${row.args.tokenId}`;
    let token = tokens.get(key);
    if (!token) {
      token = { collection: row.log.address, tokenId: row.args.tokenId, lastMint: null, lastTransfer: null, lastBurnIndex: -1 };
      tokens.set(key, token);
    }
    if (row.kind === "mint") token.lastMint = { log: row.log, to: row.args.to, index };
    else if (row.kind === "burn") token.lastBurnIndex = index;
    else token.lastTransfer = { log: row.log, to: row.args.to, index };
    if (row.kind === "transfer") return;
    const { editionId } = decodeTokenId(row.args.tokenId);
    const editionKey = `${row.log.address}:${editionId}`;
    const edition = editions.get(editionKey) ?? { log: row.log, editionId, minted: 0, burned: 0 };
    if (row.kind === "mint") edition.minted++;
    else edition.burned++;
    editions.set(editionKey, edition);
  });

  if (context.journal) await journalTokens(context, transferRows[0]!.log.blockNumber, [...tokens.values()]);
  const minted = [...tokens.values()].filter((token) => token.lastMint !== null);
  if (minted.length > 0) {
    // Restricted when minted under a non-free policy; the contract keeps that flag across transfers.
    await tx.query(
      `INSERT INTO indexer_tokens (chain_id, collection, token_id, edition_id, serial, owner, restricted, acquired_at,
         mint_kind, minted_block_number, minted_tx_hash)
       SELECT $1::int8, m.collection, m.token_id::int8, m.token_id::int8 / ${SERIALS_PER_EDITION}, m.token_id::int8 % ${SERIALS_PER_EDITION},
         m.owner, COALESCE(e.transfer_policy <> 'free', false), m.acquired_at::int8, m.mint_kind, m.block_number::int8, m.tx_hash
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS m(collection, token_id, owner, acquired_at, mint_kind, block_number, tx_hash)
       LEFT JOIN indexer_editions e ON e.chain_id = $1 AND e.collection = m.collection
         AND e.edition_id = m.token_id::int8 / ${SERIALS_PER_EDITION}
       ON CONFLICT (chain_id, collection, token_id) DO UPDATE SET owner = EXCLUDED.owner, burned = false`,
      [
        chainId,
        minted.map((token) => token.collection),
        minted.map((token) => token.tokenId.toString()),
        minted.map((token) => token.lastMint!.to),
        minted.map((token) => token.lastMint!.log.blockTimestamp.toString()),
        minted.map((token) => transferRows[token.lastMint!.index]!.mintKind),
        minted.map((token) => token.lastMint!.log.blockNumber.toString()),
        minted.map((token) => token.lastMint!.log.txHash),
      ],
    );
  }
  // A transfer before the token's last mint in the run is superseded by that mint.
  const moved = [...tokens.values()].filter((token) => token.lastTransfer && token.lastTransfer.index > (token.lastMint?.index ?? -1));
  if (moved.length > 0) {
    await tx.query(
      `UPDATE indexer_tokens t SET owner = u.owner, acquired_at = u.acquired_at::int8
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(collection, token_id, owner, acquired_at)
       WHERE t.chain_id = $1 AND t.collection = u.collection AND t.token_id = u.token_id::int8`,
      [
        chainId,
        moved.map((token) => token.collection),
        moved.map((token) => token.tokenId.toString()),
        moved.map((token) => token.lastTransfer!.to),
        moved.map((token) => token.lastTransfer!.log.blockTimestamp.toString()),
      ],
    );
  }
  const burned = [...tokens.values()].filter((token) => token.lastBurnIndex > (token.lastMint?.index ?? -1));
  if (burned.length > 0) {
    await tx.query(
      `UPDATE indexer_tokens t SET burned = true
       FROM unnest($2::text[], $3::text[]) AS u(collection, token_id)
       WHERE t.chain_id = $1 AND t.collection = u.collection AND t.token_id = u.token_id::int8`,
      [chainId, burned.map((token) => token.collection), burned.map((token) => token.tokenId.toString())],
    );
  }
  for (const edition of editions.values()) {
    await recordUndo(context, edition.log, "indexer_editions", {
      chain_id: chainId,
      collection: edition.log.address,
      edition_id: edition.editionId,
    });
    await tx.query(
      `UPDATE indexer_editions SET minted_count = minted_count + $4, burned_count = burned_count + $5
       WHERE chain_id = $1 AND collection = $2 AND edition_id = $3`,
      [chainId, edition.log.address, edition.editionId, edition.minted, edition.burned],
    );
  }
  return { insertedTransfers: transferRows.length };
}

/**
 * Journals the image before this block of every token the run changes (once per token and block, the
 * same bookkeeping as `recordUndo`), in one statement; a token not yet indexed is journaled as absent.
 */
async function journalTokens(context: HandlerContext, blockNumber: bigint, tokens: readonly TokenChanges[]): Promise<void> {
  const fresh = tokens.filter((token) => {
    const journaledKey = `indexer_tokens|${context.chainId}|${token.collection}|${token.tokenId}|${blockNumber}`;
    if (context.journaled.has(journaledKey)) return false;
    context.journaled.add(journaledKey);
    return true;
  });
  if (fresh.length === 0) return;
  await context.tx.query(
    `INSERT INTO indexer_undo (chain_id, block_number, table_name, row_key, old_row)
     SELECT $1::int8, $2::int8, 'indexer_tokens',
       jsonb_build_object('chain_id', $1::text, 'collection', k.collection, 'token_id', k.token_id), to_jsonb(t)
     FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS k(collection, token_id, position)
     LEFT JOIN indexer_tokens t ON t.chain_id = $1 AND t.collection = k.collection AND t.token_id = k.token_id::int8
     ORDER BY k.position`,
    [context.chainId, blockNumber, fresh.map((token) => token.collection), fresh.map((token) => token.tokenId.toString())],
  );
}
