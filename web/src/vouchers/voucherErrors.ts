import type { Hex } from "viem";

import { decodeErrorResult, isHex } from "viem";

import { vermilionCollectionAbi } from "../../../server/chain/abis/VermilionCollection.js";

/** The contract refused the redemption: its custom error by name (VoucherExpired, EnforcedPause, …). */
export class VoucherRevertError extends Error {
  constructor(
    readonly errorName: string,
    readonly args: readonly unknown[],
  ) {
    super(`the collection refused the redemption: ${errorName}`);
  }
}

/** The wallet is on another chain than the voucher's and did not switch. */
export class WrongChainError extends Error {
  constructor(
    readonly expectedChainId: number,
    readonly walletChainId: number,
  ) {
    super(`wallet on chain ${walletChainId}, voucher for chain ${expectedChainId}`);
  }
}

/** The revert data a wallet passed on with its error: wallets nest it differently (error.data, error.data.data, …). */
export function findRevertData(error: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): Hex | undefined => {
    if (typeof value === "string") return isHex(value) && value.length >= 10 ? value : undefined;
    if (!value || typeof value !== "object" || seen.has(value)) return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    return visit(record.data) ?? visit(record.error) ?? visit(record.originalError) ?? visit(record.cause);
  };
  return visit(error);
}

/** A contract custom error from revert data, or undefined when the data is not one of the collection's. */
export function decodeRevert(data: Hex | undefined): VoucherRevertError | undefined {
  if (!data) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: vermilionCollectionAbi, data });
    return new VoucherRevertError(decoded.errorName, decoded.args ?? []);
  } catch {
    return undefined;
  }
}
