import type { Address } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Database } from "../db/Database.js";
import type { ClaimBatchView } from "../views/claimView.js";
import type { ClaimCodeKey } from "./claimCodes.js";

import { randomUUID } from "node:crypto";

import { checkEditionSupply } from "../supply/checkEditionSupply.js";
import { lockEditionSupply } from "../supply/lockEditionSupply.js";
import { claimCodeOf, claimCodeSha256 } from "./claimCodes.js";
import { getClaimBatch } from "./getClaimBatch.js";

export interface CreateClaimBatchParameters {
  issuerId: string;
  collection: Address;
  editionId: bigint;
  count: number;
  expiresAt: Date;
  label?: string | undefined;
}

/**
 * Creates `count` one-time codes for an edition, each holding one token of its supply until it expires,
 * is cancelled or is minted: the supply is checked under the edition's lock like a mint job's
 * (EDITION_SOLD_OUT, EDITION_SEALED). Only each code's SHA-256 is stored; the codes are derived again
 * from the batch id and their numbers whenever the issuer downloads them.
 */
export async function createClaimBatch(
  deps: { db: Database; chain: ChainClients; claimCodeKey: ClaimCodeKey },
  parameters: CreateClaimBatchParameters,
): Promise<ClaimBatchView> {
  const { db, chain } = deps;
  const batchId = randomUUID();
  const hashes: string[] = [];
  for (let number = 1; number <= parameters.count; number++) hashes.push(claimCodeSha256(claimCodeOf(deps.claimCodeKey, batchId, number)));
  await db.transaction(async (tx) => {
    await lockEditionSupply(tx, chain.chainId, parameters.collection, parameters.editionId);
    await checkEditionSupply(tx, chain, { collection: parameters.collection, editionId: parameters.editionId, requested: parameters.count });
    await tx.query(
      `INSERT INTO claim_batches (batch_id, chain_id, issuer_id, collection_address, edition_id, label, code_count, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [batchId, BigInt(chain.chainId), parameters.issuerId, parameters.collection, parameters.editionId, parameters.label ?? null, parameters.count, parameters.expiresAt],
    );
    await tx.query(
      `INSERT INTO claim_codes (code_sha256, batch_id, number, state)
       SELECT h.code_sha256, $1, h.number, 'open' FROM unnest($2::text[]) WITH ORDINALITY AS h(code_sha256, number)`,
      [batchId, hashes],
    );
  });
  return getClaimBatch(db, { batchId });
}
