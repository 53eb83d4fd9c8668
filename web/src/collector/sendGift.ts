import type { Address, Hex } from "viem";
import type { TokenResponse } from "../apiTypes.js";
import type { Eip1193Provider } from "../issuer/injectedProvider.js";

import { encodeFunctionData } from "viem";

import { vermilionCollectionAbi } from "../../../server/chain/abis/VermilionCollection.js";
import { api } from "../api.js";
import { walletRequest } from "../issuer/injectedProvider.js";
import { ensureWalletChain } from "../wallet/ensureWalletChain.js";
import { TransactionRevertedError } from "./toTransferFailure.js";

export type SendGiftStep = "switchingChain" | "checking" | "confirming" | "mining" | "indexing";

export interface SendGiftParameters {
  provider: Eip1193Provider;
  /** The chain the token lives on (the API's token view). */
  chainId: number;
  collection: string;
  tokenId: string;
  /** The wallet account holding the token. */
  from: string;
  /** The recipient, already checked as an address. */
  to: string;
  onStep: (step: SendGiftStep, details?: { txHash: string }) => void;
  /** How often the receipt and the index are asked for; default 1 s. */
  pollIntervalMs?: number;
  /** How long to wait for the index to show the new owner before answering without it; default 60 s. */
  indexTimeoutMs?: number;
}

export interface SendGiftReturnType {
  txHash: string;
  /** The new owner as the API shows it; null when the index had not caught up in time. */
  indexedOwner: string | null;
}

interface ReceiptJson {
  status: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Gives a token from the wallet: puts the wallet on the token's chain, asks the chain whether
 * `safeTransferFrom(from, to, tokenId)` would pass (eth_call, so a refusal is explained before the user
 * signs anything), has the wallet send it (eth_sendTransaction: the holder pays the gas), waits for the
 * receipt, then for the index to show the new owner. Throws WrongChainError, the wallet's error (with the
 * node's revert data, see toTransferFailure) or TransactionRevertedError.
 */
export async function sendGift(parameters: SendGiftParameters): Promise<SendGiftReturnType> {
  const { provider, chainId, collection, tokenId, from, to, onStep } = parameters;
  const pollIntervalMs = parameters.pollIntervalMs ?? 1000;
  await ensureWalletChain(provider, chainId, () => onStep("switchingChain"));

  const data = encodeFunctionData({
    abi: vermilionCollectionAbi,
    functionName: "safeTransferFrom",
    args: [from as Address, to as Address, BigInt(tokenId)],
  });
  const transaction = { from, to: collection, data };

  onStep("checking");
  // Straight to the provider, not walletRequest: the revert data in its error is what explains the refusal.
  await provider.request({ method: "eth_call", params: [transaction, "latest"] });

  onStep("confirming");
  const txHash = await walletRequest<Hex>(provider, "eth_sendTransaction", [transaction]);

  onStep("mining", { txHash });
  const recipient = to.toLowerCase();
  // A wallet may replace the transaction ("speed up": another hash), whose receipt this loop never sees:
  // the index showing the recipient ends the wait as well.
  for (let attempt = 1; ; attempt += 1) {
    const receipt = await walletRequest<ReceiptJson | null>(provider, "eth_getTransactionReceipt", [txHash]);
    if (receipt) {
      if (receipt.status !== "0x1") throw new TransactionRevertedError(txHash);
      break;
    }
    if (attempt % 5 === 0 && (await indexedOwner(collection, tokenId)) === recipient) return { txHash, indexedOwner: recipient };
    await sleep(pollIntervalMs);
  }

  onStep("indexing", { txHash });
  const deadline = Date.now() + (parameters.indexTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if ((await indexedOwner(collection, tokenId)) === recipient) return { txHash, indexedOwner: recipient };
    await sleep(pollIntervalMs);
  }
  return { txHash, indexedOwner: null };
}

/** The owner the API shows now; null when it cannot say (the token view is retried, not trusted to fail once). */
async function indexedOwner(collection: string, tokenId: string): Promise<string | null> {
  const response = await api<TokenResponse>(`/api/tokens/${collection}/${tokenId}`).catch(() => null);
  return response?.token.owner ?? null;
}
