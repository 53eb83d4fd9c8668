import i18next from "i18next";
import { encodeErrorResult, getAddress } from "viem";
import { beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { explainTransferFailure } from "../../web/src/collector/explainTransferFailure.js";
import { giftability } from "../../web/src/collector/giftability.js";
import { TransactionRevertedError, toTransferFailure } from "../../web/src/collector/toTransferFailure.js";
import en from "../../web/src/i18n/en.json" with { type: "json" };
import giftingEn from "../../web/src/i18n/features/gifting.en.json" with { type: "json" };
import giftingZhCN from "../../web/src/i18n/features/gifting.zh-CN.json" with { type: "json" };
import zhCN from "../../web/src/i18n/zh-CN.json" with { type: "json" };
import { WalletError } from "../../web/src/issuer/injectedProvider.js";
import { WrongChainError } from "../../web/src/wallet/ensureWalletChain.js";

const HOLDER = getAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
const CONTRACT = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const TOKEN_ID = 3_000_001n;
const UNLOCKS_AT = 1_893_456_000; // 2030-01-01T00:00:00Z

/** Revert data as the collection returns it, encoded from its ABI. */
function revert(errorName: string, args: readonly unknown[] = []): `0x${string}` {
  return encodeErrorResult({ abi: vermilionCollectionAbi, errorName: errorName as "TokenLocked", args: args as never });
}

/** The error a bare EIP-1193 provider forwards from the node (Anvil, Geth): code 3 with the data. */
function nodeError(data: `0x${string}`) {
  return Object.assign(new Error("execution reverted"), { code: 3, data });
}

/** MetaMask's shape: an internal error whose data holds the node's answer. */
function metaMaskError(data: `0x${string}`) {
  return Object.assign(new Error("Internal JSON-RPC error."), { code: -32603, data: { code: 3, message: "execution reverted", data: { originalError: { data } } } });
}

/** The page's words (i18n.ts `t`, format.ts `formatDateTime`) over the real catalogues, in `locale`. */
function sentence(locale: "en" | "zh-CN", error: unknown): string {
  void i18next.changeLanguage(locale);
  return explainTransferFailure(toTransferFailure(error), {
    t: (key, values) => i18next.t(key, values ?? {}),
    formatDateTime: (unixSeconds) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(unixSeconds * 1000)),
  });
}

beforeAll(async () => {
  await i18next.init({
    lng: "en",
    fallbackLng: false,
    resources: { en: { translation: { ...en, ...giftingEn } }, "zh-CN": { translation: { ...zhCN, ...giftingZhCN } } },
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
  });
});

describe("toTransferFailure: what stopped a gift, from the wallet's error", () => {
  test("decodes the collection's custom errors wherever the wallet put the revert data", () => {
    for (const wrap of [nodeError, metaMaskError]) {
      expect(toTransferFailure(wrap(revert("TokenLocked", [TOKEN_ID, BigInt(UNLOCKS_AT)])))).toEqual({ kind: "tokenLocked", unlocksAt: UNLOCKS_AT });
      expect(toTransferFailure(wrap(revert("TokenLocked", [TOKEN_ID, 2n ** 256n - 1n])))).toEqual({ kind: "soulbound" });
      expect(toTransferFailure(wrap(revert("EnforcedPause")))).toEqual({ kind: "paused" });
      expect(toTransferFailure(wrap(revert("ERC721IncorrectOwner", [HOLDER, TOKEN_ID, CONTRACT])))).toEqual({ kind: "notOwner", owner: CONTRACT });
      expect(toTransferFailure(wrap(revert("ERC721InvalidReceiver", [CONTRACT])))).toEqual({ kind: "invalidReceiver", receiver: CONTRACT });
      expect(toTransferFailure(wrap(revert("ERC721InsufficientApproval", [HOLDER, TOKEN_ID])))).toEqual({ kind: "notAllowed" });
      expect(toTransferFailure(wrap(revert("ERC721NonexistentToken", [TOKEN_ID])))).toEqual({ kind: "nonexistent" });
    }
  });

  test("names a revert the ABI knows but the page does not explain, and shows unknown bytes by their selector", () => {
    expect(toTransferFailure(nodeError(revert("ZeroAddress")))).toEqual({ kind: "reverted", reason: "ZeroAddress" });
    expect(toTransferFailure(nodeError("0xdeadbeef00"))).toEqual({ kind: "reverted", reason: "0xdeadbeef" });
  });

  test("tells the wallet's own refusals apart: declined, busy, no gas money, another chain, a mined failure", () => {
    expect(toTransferFailure(new WalletError(4001, "User rejected the request."))).toEqual({ kind: "rejected" });
    expect(toTransferFailure(Object.assign(new Error("User denied"), { code: 4001 }))).toEqual({ kind: "rejected" });
    expect(toTransferFailure(new WalletError(-32002, "Request already pending"))).toEqual({ kind: "requestPending" });
    expect(toTransferFailure(new WalletError(-32000, "insufficient funds for gas * price + value"))).toEqual({ kind: "insufficientFunds" });
    expect(
      toTransferFailure(new WalletError(-32603, "The total cost (gas * gas fee + value) of executing this transaction exceeds the balance of the account.")),
    ).toEqual({ kind: "insufficientFunds" });
    expect(toTransferFailure(new WrongChainError(31337, 1))).toEqual({ kind: "wrongChain", walletChainId: 1, expectedChainId: 31337 });
    expect(toTransferFailure(new TransactionRevertedError("0xabc"))).toEqual({ kind: "transactionReverted", txHash: "0xabc" });
    expect(toTransferFailure(new WalletError(-32603, "nonce too low"))).toEqual({ kind: "wallet", message: "nonce too low" });
  });
});

describe("explainTransferFailure: one sentence in the reader's language", () => {
  test("a held token gives its unlock date in each language's format", () => {
    const error = nodeError(revert("TokenLocked", [TOKEN_ID, BigInt(UNLOCKS_AT)]));
    const english = sentence("en", error);
    const chinese = sentence("zh-CN", error);
    expect(english).toContain(new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(new Date(UNLOCKS_AT * 1000)));
    expect(english).toMatch(/^Not sent: this token is held until .*2030/);
    expect(chinese).toContain(new Intl.DateTimeFormat("zh-CN", { dateStyle: "medium", timeStyle: "short" }).format(new Date(UNLOCKS_AT * 1000)));
    expect(chinese).toMatch(/^未发送：.*锁定至 2030年/);
  });

  test("every failure reads as a filled sentence in English and in Chinese, never a raw key or placeholder", () => {
    const errors = [
      nodeError(revert("TokenLocked", [TOKEN_ID, 2n ** 256n - 1n])),
      nodeError(revert("EnforcedPause")),
      nodeError(revert("ERC721IncorrectOwner", [HOLDER, TOKEN_ID, CONTRACT])),
      nodeError(revert("ERC721InvalidReceiver", [CONTRACT])),
      nodeError(revert("ERC721InsufficientApproval", [HOLDER, TOKEN_ID])),
      nodeError(revert("ERC721NonexistentToken", [TOKEN_ID])),
      nodeError(revert("ZeroAddress")),
      new TransactionRevertedError("0xabc"),
      new WalletError(-32000, "insufficient funds for gas * price + value"),
      new WalletError(4001, "User rejected the request."),
      new WalletError(-32002, "Request already pending"),
      new WrongChainError(31337, 1),
      new WalletError(-32603, "nonce too low"),
    ];
    const seen = new Set<string>();
    for (const locale of ["en", "zh-CN"] as const) {
      for (const error of errors) {
        const text = sentence(locale, error);
        expect(text, String(error)).not.toMatch(/gifting\.|\{\{/);
        seen.add(text);
      }
    }
    // Each failure has its own sentence in each language.
    expect(seen.size).toBe(errors.length * 2);
    expect(sentence("en", nodeError(revert("ERC721IncorrectOwner", [HOLDER, TOKEN_ID, CONTRACT])))).toContain(CONTRACT);
    expect(sentence("zh-CN", nodeError(revert("ERC721InvalidReceiver", [CONTRACT])))).toContain(CONTRACT);
    expect(sentence("en", new WrongChainError(31337, 1))).toBe(
      "Your wallet is on chain 1, but this token lives on chain 31337: switch networks in your wallet and try again.",
    );
    expect(sentence("zh-CN", new WalletError(4001, "User rejected the request."))).toBe("您在钱包中拒绝了请求：没有发送任何内容。");
  });
});

describe("giftability: what the page tells a holder before they try", () => {
  const base = { burned: false, lockedUntil: null, collection: { address: CONTRACT, name: "C", symbol: "C", paused: false } };
  test("free, held until a time ahead, soulbound, paused, burned", () => {
    expect(giftability(base, 1_000)).toEqual({ kind: "free" });
    expect(giftability({ ...base, lockedUntil: 2_000 }, 1_000)).toEqual({ kind: "held", unlocksAt: 2_000 });
    expect(giftability({ ...base, lockedUntil: "never" }, 1_000)).toEqual({ kind: "soulbound" });
    expect(giftability({ ...base, collection: { ...base.collection, paused: true } }, 1_000)).toEqual({ kind: "paused" });
    expect(giftability({ ...base, burned: true, lockedUntil: "never" }, 1_000)).toEqual({ kind: "burned" });
  });

  test("a hold the index still reports after its time has passed counts as free (the chain is asked before sending)", () => {
    expect(giftability({ ...base, lockedUntil: 999 }, 1_000)).toEqual({ kind: "free" });
  });
});
