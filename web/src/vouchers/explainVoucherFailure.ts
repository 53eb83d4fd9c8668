import { VoucherRevertError, WrongChainError } from "./voucherErrors.js";

/** EIP-1193 codes: the reader declined; the wallet shared no account. */
const USER_REJECTED = 4001;
const UNAUTHORIZED = 4100;

/** Why a redemption failed, as a catalogue key and its values; the page turns it into a sentence. */
export type VoucherFailure =
  | { reason: "expired" | "redeemed" | "cancelled" | "signerNotIssuer" | "paused" | "soldOut" | "sealed" | "rejected" | "insufficientFunds" | "noAccount" }
  | { reason: "wrongChain"; expectedChainId: number; walletChainId: number }
  | { reason: "other"; detail: string };

/** The contract's custom errors and the platform's codes for the same refusals. */
const REASONS: Record<string, VoucherFailure["reason"]> = {
  VoucherExpired: "expired",
  VOUCHER_EXPIRED: "expired",
  VoucherAlreadyRedeemed: "redeemed",
  VOUCHER_ALREADY_REDEEMED: "redeemed",
  VoucherNonceCancelled: "cancelled",
  VOUCHER_CANCELLED: "cancelled",
  VoucherSignerNotIssuer: "signerNotIssuer",
  VOUCHER_SIGNER_NOT_ISSUER: "signerNotIssuer",
  EnforcedPause: "paused",
  COLLECTION_PAUSED: "paused",
  EditionSupplyExceeded: "soldOut",
  EDITION_SOLD_OUT: "soldOut",
  EditionAlreadySealed: "sealed",
  EDITION_SEALED: "sealed",
};

/**
 * An ApiError (web/src/api.ts), told by its string code: this module stays free of the API client and the
 * catalogue it imports, so its test runs without them.
 */
function isApiError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string";
}

/**
 * Classifies what the wallet, the contract or the relay answered:
 * 1. a contract revert or a platform code for the same refusal → that refusal;
 * 2. the reader declined in the wallet (4001), or shared no account (4100);
 * 3. a wallet on another chain that would not switch;
 * 4. a wallet that cannot pay the gas (its message says "insufficient funds");
 * 5. anything else, with its own words.
 */
export function explainVoucherFailure(error: unknown): VoucherFailure {
  const known = (name: string): VoucherFailure | undefined => {
    const reason = REASONS[name];
    return reason && reason !== "other" && reason !== "wrongChain" ? { reason } : undefined;
  };
  if (error instanceof VoucherRevertError) return known(error.errorName) ?? { reason: "other", detail: error.errorName };
  if (isApiError(error)) return known(error.code) ?? { reason: "other", detail: error.message };
  if (error instanceof WrongChainError) return { reason: "wrongChain", expectedChainId: error.expectedChainId, walletChainId: error.walletChainId };
  // A wallet's error (WalletError, or what a wallet throws itself): a numeric EIP-1193 code.
  if (error instanceof Error && typeof (error as { code?: unknown }).code === "number") {
    const { code } = error as Error & { code: number };
    if (code === USER_REJECTED) return { reason: "rejected" };
    if (code === UNAUTHORIZED) return { reason: "noAccount" };
    if (/insufficient funds/i.test(error.message)) return { reason: "insufficientFunds" };
    return { reason: "other", detail: error.message };
  }
  return { reason: "other", detail: error instanceof Error ? error.message : String(error) };
}
