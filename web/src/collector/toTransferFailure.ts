import type { Hex } from "viem";

import { decodeErrorResult, isHex } from "viem";

import { vermilionCollectionAbi } from "../../../server/chain/abis/VermilionCollection.js";
import { WALLET_ERROR, WalletError } from "../issuer/injectedProvider.js";
import { WrongChainError } from "../wallet/ensureWalletChain.js";

/** The contract's "never": `_unlocksAt` of a soulbound token (type(uint256).max). */
const NEVER = 2n ** 256n - 1n;

/** Why a transfer did not happen, in terms a sentence can be made of (explainTransferFailure). */
export type TransferFailure =
  | { kind: "tokenLocked"; unlocksAt: number }
  | { kind: "soulbound" }
  | { kind: "paused" }
  | { kind: "notOwner"; owner: string }
  | { kind: "notAllowed" }
  | { kind: "invalidReceiver"; receiver: string }
  | { kind: "nonexistent" }
  | { kind: "reverted"; reason: string }
  | { kind: "transactionReverted"; txHash: string }
  | { kind: "insufficientFunds" }
  | { kind: "rejected" }
  | { kind: "requestPending" }
  | { kind: "wrongChain"; walletChainId: number; expectedChainId: number }
  | { kind: "wallet"; message: string };

/** A transaction included in a block whose receipt says it failed (it passed the simulation just before). */
export class TransactionRevertedError extends Error {
  constructor(readonly txHash: string) {
    super(`transaction ${txHash} reverted`);
  }
}

/**
 * The revert data a wallet's error carries. Wallets nest it differently: the node's answer as `data`
 * (a bare provider), `data.data` or `data.originalError.data` (MetaMask), `error.data` (some relays).
 */
export function findRevertData(error: unknown, depth = 0): Hex | null {
  if (depth > 4 || error === null || typeof error !== "object") return null;
  const record = error as Record<string, unknown>;
  for (const key of ["data", "originalError", "error", "cause"]) {
    const value = record[key];
    if (typeof value === "string" && isHex(value) && value.length >= 10) return value;
    const nested = findRevertData(value, depth + 1);
    if (nested) return nested;
  }
  return null;
}

/**
 * The collection's custom error (or a Solidity `Error(string)`) in `data`, as a failure:
 * 1. TokenLocked: held until a date, or soulbound when that date is the contract's "never".
 * 2. EnforcedPause: the issuer paused the collection.
 * 3. ERC721IncorrectOwner / InsufficientApproval / InvalidReceiver / NonexistentToken: OpenZeppelin's refusals.
 * 4. Anything else the ABI names, or a reason string, is shown by name; unknown bytes by their selector.
 */
export function decodeTransferRevert(data: Hex): TransferFailure {
  let decoded: { errorName: string; args: readonly unknown[] | undefined };
  try {
    decoded = decodeErrorResult({ abi: vermilionCollectionAbi, data });
  } catch {
    return { kind: "reverted", reason: data.slice(0, 10) };
  }
  const args = decoded.args ?? [];
  switch (decoded.errorName) {
    case "TokenLocked": {
      const unlocksAt = args[1] as bigint;
      return unlocksAt === NEVER ? { kind: "soulbound" } : { kind: "tokenLocked", unlocksAt: Number(unlocksAt) };
    }
    case "EnforcedPause":
      return { kind: "paused" };
    case "ERC721IncorrectOwner":
      return { kind: "notOwner", owner: String(args[2]) };
    case "ERC721InsufficientApproval":
      return { kind: "notAllowed" };
    case "ERC721InvalidReceiver":
      return { kind: "invalidReceiver", receiver: String(args[0]) };
    case "ERC721NonexistentToken":
      return { kind: "nonexistent" };
    case "Error":
      return { kind: "reverted", reason: String(args[0]) };
    default:
      return { kind: "reverted", reason: decoded.errorName };
  }
}

/**
 * Classifies whatever a gift attempt threw:
 * 1. The wallet on another chain that would not switch.
 * 2. A transaction that was mined but failed.
 * 3. Revert data anywhere in the error: decoded (decodeTransferRevert).
 * 4. The user declining in the wallet (EIP-1193 4001), a request already waiting (-32002).
 * 5. Not enough ETH for gas, however the wallet words it.
 * 6. Anything else: the wallet's own message.
 */
export function toTransferFailure(error: unknown): TransferFailure {
  if (error instanceof WrongChainError) return { kind: "wrongChain", walletChainId: error.walletChainId, expectedChainId: error.expectedChainId };
  if (error instanceof TransactionRevertedError) return { kind: "transactionReverted", txHash: error.txHash };
  const data = findRevertData(error);
  if (data) return decodeTransferRevert(data);
  const code = error instanceof WalletError ? error.code : (error as { code?: unknown } | null)?.code;
  if (code === WALLET_ERROR.userRejected) return { kind: "rejected" };
  if (code === WALLET_ERROR.requestPending) return { kind: "requestPending" };
  const message = error instanceof Error ? error.message : String(error);
  if (/insufficient funds|exceeds the balance/i.test(message)) return { kind: "insufficientFunds" };
  return { kind: "wallet", message };
}
