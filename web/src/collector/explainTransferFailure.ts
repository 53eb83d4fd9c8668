import type { TransferFailure } from "./toTransferFailure.js";

/**
 * The page's catalogue lookup and date format (i18n.ts `t`, format.ts `formatDateTime`), passed in so that
 * this mapping is unit-tested outside the browser (test/web/explainTransferFailure.test.ts).
 */
export interface TransferFailureWords {
  t: (key: string, values?: Record<string, string | number>) => string;
  formatDateTime: (unixSeconds: number) => string;
}

/** A failed gift as one sentence in the reader's language: what happened and, where there is one, what to do. */
export function explainTransferFailure(failure: TransferFailure, words: TransferFailureWords): string {
  const { t, formatDateTime } = words;
  switch (failure.kind) {
    case "tokenLocked":
      return t("gifting.errorLocked", { date: formatDateTime(failure.unlocksAt) });
    case "soulbound":
      return t("gifting.errorSoulbound");
    case "paused":
      return t("gifting.errorPaused");
    case "notOwner":
      return t("gifting.errorNotOwner", { owner: failure.owner });
    case "notAllowed":
      return t("gifting.errorNotAllowed");
    case "invalidReceiver":
      return t("gifting.errorInvalidReceiver", { receiver: failure.receiver });
    case "nonexistent":
      return t("gifting.errorNonexistent");
    case "reverted":
      return t("gifting.errorReverted", { reason: failure.reason });
    case "transactionReverted":
      return t("gifting.errorTransactionReverted", { txHash: failure.txHash });
    case "insufficientFunds":
      return t("gifting.errorInsufficientFunds");
    case "rejected":
      return t("gifting.errorRejected");
    case "requestPending":
      return t("gifting.errorRequestPending");
    case "wrongChain":
      return t("gifting.errorWrongChain", { walletChainId: failure.walletChainId, expectedChainId: failure.expectedChainId });
    case "wallet":
      return t("gifting.errorWallet", { message: failure.message });
  }
}
