import type { Hex } from "viem";
import type { VoucherLinkFields } from "../../../server/vouchers/voucherLink.js";
import type { Eip1193Provider } from "../issuer/injectedProvider.js";

import { encodeFunctionData, parseEventLogs } from "viem";

import { vermilionCollectionAbi } from "../../../server/chain/abis/VermilionCollection.js";
import { WALLET_ERROR, WalletError } from "../issuer/injectedProvider.js";
import { VoucherRevertError, WrongChainError, decodeRevert, findRevertData } from "./voucherErrors.js";

export type RedeemStep = "connecting" | "switchingChain" | "checking" | "confirming" | "waiting";

export interface RedeemWithWalletParameters {
  provider: Eip1193Provider;
  fields: VoucherLinkFields;
  onStep: (step: RedeemStep) => void;
  /** How often the receipt is asked for while the transaction waits to be mined. */
  pollIntervalMs?: number;
}

export interface RedeemWithWalletReturnType {
  account: string;
  txHash: Hex;
  tokenIds: string[];
}

/** One request to the wallet; its failure becomes a WalletError, or the contract's reason when it carries revert data. */
async function request<Result>(provider: Eip1193Provider, method: string, params: readonly unknown[] = []): Promise<Result> {
  try {
    return (await provider.request({ method, params })) as Result;
  } catch (error) {
    const revert = decodeRevert(findRevertData(error));
    if (revert) throw revert;
    const code = (error as { code?: unknown } | null)?.code;
    const message = (error as { message?: unknown } | null)?.message;
    throw new WalletError(typeof code === "number" ? code : null, typeof message === "string" ? message : String(error));
  }
}

async function walletChainId(provider: Eip1193Provider): Promise<number> {
  return Number(BigInt(await request<string>(provider, "eth_chainId")));
}

/** Asks the wallet onto `chainId` when it is elsewhere; a refusal stays a WalletError (4001). */
async function ensureChain(provider: Eip1193Provider, chainId: number, onStep: RedeemWithWalletParameters["onStep"]): Promise<void> {
  const current = await walletChainId(provider);
  if (current === chainId) return;
  onStep("switchingChain");
  try {
    await request(provider, "wallet_switchEthereumChain", [{ chainId: `0x${chainId.toString(16)}` }]);
  } catch (error) {
    if (error instanceof WalletError && error.code === WALLET_ERROR.userRejected) throw error;
    throw new WrongChainError(chainId, current);
  }
  const switched = await walletChainId(provider);
  if (switched !== chainId) throw new WrongChainError(chainId, switched);
}

/** The `redeem(voucher, signature)` call data of a voucher link. */
export function redeemCallData(fields: VoucherLinkFields): Hex {
  return encodeFunctionData({
    abi: vermilionCollectionAbi,
    functionName: "redeem",
    args: [
      {
        editionId: BigInt(fields.editionId),
        to: fields.to as Hex,
        quantity: BigInt(fields.quantity),
        nonce: BigInt(fields.nonce),
        deadline: BigInt(fields.deadline),
      },
      fields.signature as Hex,
    ],
  });
}

/**
 * Redeems a voucher from the reader's wallet, which pays the gas: connect, move to the voucher's chain,
 * simulate (eth_call, so a refusal is explained before anything is signed), send with
 * eth_sendTransaction, wait for the receipt and read the minted token ids from its VoucherRedeemed log.
 * The tokens go to the voucher's recipient whoever sends it. Throws WalletError, WrongChainError or
 * VoucherRevertError.
 */
export async function redeemWithWallet(parameters: RedeemWithWalletParameters): Promise<RedeemWithWalletReturnType> {
  const { provider, fields, onStep } = parameters;
  onStep("connecting");
  const [account] = await request<string[]>(provider, "eth_requestAccounts");
  if (!account) throw new WalletError(WALLET_ERROR.unauthorized, "the wallet shared no account");
  await ensureChain(provider, fields.chainId, onStep);

  const call = { from: account, to: fields.collection, data: redeemCallData(fields) };
  onStep("checking");
  await request(provider, "eth_call", [call, "latest"]);

  onStep("confirming");
  const txHash = await request<Hex>(provider, "eth_sendTransaction", [call]);

  onStep("waiting");
  for (;;) {
    const receipt = await request<{ status: string; logs: Array<{ address: Hex; topics: [Hex, ...Hex[]]; data: Hex }> } | null>(provider, "eth_getTransactionReceipt", [txHash]);
    if (receipt) {
      if (receipt.status !== "0x1") {
        // Mined but reverted (the state changed after the check): ask again for the reason.
        await request(provider, "eth_call", [call, "latest"]);
        throw new VoucherRevertError("Reverted", []);
      }
      const [redeemed] = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "VoucherRedeemed", logs: receipt.logs as never });
      const first = redeemed?.args.firstTokenId ?? 0n;
      const quantity = Number(redeemed?.args.quantity ?? 0n);
      return { account, txHash, tokenIds: Array.from({ length: quantity }, (_, index) => (first + BigInt(index)).toString()) };
    }
    await new Promise((resolve) => setTimeout(resolve, parameters.pollIntervalMs ?? 1_000));
  }
}
