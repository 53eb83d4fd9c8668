import { encodeErrorResult } from "viem";
import { describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { explainVoucherFailure } from "../../web/src/vouchers/explainVoucherFailure.js";
import { VoucherRevertError, WrongChainError, decodeRevert, findRevertData } from "../../web/src/vouchers/voucherErrors.js";

/** An error as web/src/api.ts's ApiError carries it (status, string code, the server's message). */
function apiError(status: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { status, code, details: {} });
}

/** An EIP-1193 error as wallets throw it (web/src/issuer/injectedProvider.ts's WalletError has the same shape). */
function walletError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("explainVoucherFailure (the redeem page's sentences)", () => {
  test("a contract revert and the relay's code for the same refusal give the same reason", () => {
    const pairs: Array<[string, string, string]> = [
      ["VoucherExpired", "VOUCHER_EXPIRED", "expired"],
      ["VoucherAlreadyRedeemed", "VOUCHER_ALREADY_REDEEMED", "redeemed"],
      ["VoucherNonceCancelled", "VOUCHER_CANCELLED", "cancelled"],
      ["VoucherSignerNotIssuer", "VOUCHER_SIGNER_NOT_ISSUER", "signerNotIssuer"],
      ["EnforcedPause", "COLLECTION_PAUSED", "paused"],
      ["EditionSupplyExceeded", "EDITION_SOLD_OUT", "soldOut"],
      ["EditionAlreadySealed", "EDITION_SEALED", "sealed"],
    ];
    for (const [errorName, code, reason] of pairs) {
      expect(explainVoucherFailure(new VoucherRevertError(errorName, []))).toEqual({ reason });
      expect(explainVoucherFailure(apiError(409, code, "refused"))).toEqual({ reason });
    }
  });

  test("wallet answers: declined (4001), no account (4100), no gas money, another chain; anything else keeps its words", () => {
    expect(explainVoucherFailure(walletError(4001, "User rejected the request."))).toEqual({ reason: "rejected" });
    expect(explainVoucherFailure(walletError(4100, "not authorized"))).toEqual({ reason: "noAccount" });
    expect(explainVoucherFailure(walletError(-32000, "insufficient funds for gas * price + value"))).toEqual({ reason: "insufficientFunds" });
    expect(explainVoucherFailure(new WrongChainError(31337, 1))).toEqual({ reason: "wrongChain", expectedChainId: 31337, walletChainId: 1 });
    expect(explainVoucherFailure(walletError(-32603, "internal"))).toEqual({ reason: "other", detail: "internal" });
    expect(explainVoucherFailure(apiError(503, "CHAIN_UNAVAILABLE", "The chain's RPC endpoint is unavailable"))).toEqual({ reason: "other", detail: "The chain's RPC endpoint is unavailable" });
  });

  test("revert data is found where wallets nest it and decoded with the collection's errors", () => {
    const data = encodeErrorResult({ abi: vermilionCollectionAbi, errorName: "VoucherNonceCancelled", args: [7n] });
    for (const shape of [{ code: 3, data }, { code: -32603, data: { data } }, { error: { data: { originalError: { data } } } }]) {
      expect(findRevertData(shape)).toBe(data);
    }
    expect(decodeRevert(data)).toMatchObject({ errorName: "VoucherNonceCancelled", args: [7n] });
    expect(decodeRevert("0xdeadbeef")).toBeUndefined();
    expect(findRevertData({ code: 4001, message: "User rejected" })).toBeUndefined();
  });
});
