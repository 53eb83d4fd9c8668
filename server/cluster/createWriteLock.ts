import type { Address } from "viem";
import type { Database } from "../db/Database.js";

import { keccak256, toHex } from "viem";

/**
 * Runs the signer's chain writes one at a time, so two writes never pick the same nonce: in order
 * within this process and, given the database, under an advisory lock keyed by the signer across
 * every instance that shares it (docs/cluster.md).
 */
export type WriteLock = <T>(work: () => Promise<T>) => Promise<T>;

export interface CreateWriteLockParameters {
  db: Pick<Database, "withAdvisoryLock">;
  chainId: number;
  /** Lowercase, as the chain client gives it (toStoredAddress): every instance must derive the same key. */
  signer: Address;
}

/** The advisory-lock key of a signer on a chain (any 64-bit value; every instance derives the same). */
export function signerLockKey(chainId: number, signer: Address): bigint {
  return BigInt.asIntN(64, BigInt(keccak256(toHex(`signer:${chainId}:${signer}`)).slice(0, 18)));
}

export function createWriteLock(parameters?: CreateWriteLockParameters): WriteLock {
  let tail: Promise<unknown> = Promise.resolve();
  const key = parameters ? signerLockKey(parameters.chainId, parameters.signer) : undefined;
  const locked = <T>(work: () => Promise<T>) => (parameters ? parameters.db.withAdvisoryLock(key!, work) : work());
  return <T>(work: () => Promise<T>) => {
    const run = tail.then(
      () => locked(work),
      () => locked(work),
    );
    tail = run.catch(() => undefined);
    return run;
  };
}

/** The write lock of each signer on one chain (the platform's key and every issuer key), made on first use. */
export type WriteLocks = (signer: Address) => WriteLock;

export function createWriteLocks(parameters: { db: Pick<Database, "withAdvisoryLock">; chainId: number }): WriteLocks {
  const locks = new Map<Address, WriteLock>();
  return (signer) => {
    const key = signer.toLowerCase() as Address;
    let lock = locks.get(key);
    if (!lock) {
      lock = createWriteLock({ db: parameters.db, chainId: parameters.chainId, signer: key });
      locks.set(key, lock);
    }
    return lock;
  };
}
