import type { Address } from "viem";
import type { Queryable } from "../db/Database.js";

import { keccak256, toHex } from "viem";

/** A lock key per edition: promises of one edition's supply are serialized, other editions run freely. */
function editionLockKey(chainId: number, collection: Address, editionId: bigint): bigint {
  return BigInt.asIntN(64, BigInt(keccak256(toHex(`${chainId}:${collection}:${editionId}`)).slice(0, 18)));
}

/** Inside the caller's transaction: serializes every promise of this edition's supply until commit. */
export async function lockEditionSupply(tx: Queryable, chainId: number, collection: Address, editionId: bigint): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1)", [editionLockKey(chainId, collection, editionId)]);
}
