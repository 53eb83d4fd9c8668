import type { CustodyTransfer, TypedDataJson } from "../apiTypes.js";
import type { Eip1193Provider } from "./injectedProvider.js";

import { IdempotentAction, api, apiWrite } from "../api.js";
import { WALLET_ERROR, WalletError, walletRequest } from "./injectedProvider.js";
import { walletTypedData } from "./walletTypedData.js";

/** How long the signed statement stays valid: long enough to read it in the wallet, short enough not to linger. */
const STATEMENT_LIFETIME_SECONDS = 15 * 60;

export type TakeCustodyStep = "preparing" | "switchingChain" | "signing" | "submitting";

export interface TakeCustodyParameters {
  provider: Eip1193Provider;
  apiKey: string;
  /** The wallet account that becomes the admin (from eth_requestAccounts). */
  account: string;
  /** Whether the signed statement lets Vermilion keep minting with the operating key. */
  keepOperatingKey: boolean;
  onStep: (step: TakeCustodyStep, details?: { chainId: number }) => void;
}

/** The wallet is on another chain than the platform's and did not switch. */
export class WrongChainError extends Error {
  constructor(
    readonly expectedChainId: number,
    readonly walletChainId: number,
  ) {
    super(`wallet on chain ${walletChainId}, platform on chain ${expectedChainId}`);
  }
}

async function walletChainId(provider: Eip1193Provider): Promise<number> {
  return Number(BigInt(await walletRequest<string>(provider, "eth_chainId")));
}

/**
 * Asks the wallet to be on `chainId`: switches when it is elsewhere. A refusal stays a WalletError (4001);
 * a wallet that does not know the chain, or still reports another after switching, is a WrongChainError.
 */
async function ensureChain(provider: Eip1193Provider, chainId: number, onStep: TakeCustodyParameters["onStep"]): Promise<void> {
  const current = await walletChainId(provider);
  if (current === chainId) return;
  onStep("switchingChain", { chainId });
  try {
    await walletRequest(provider, "wallet_switchEthereumChain", [{ chainId: `0x${chainId.toString(16)}` }]);
  } catch (error) {
    if (error instanceof WalletError && error.code === WALLET_ERROR.userRejected) throw error;
    throw new WrongChainError(chainId, current);
  }
  const switched = await walletChainId(provider);
  if (switched !== chainId) throw new WrongChainError(chainId, switched);
}

/**
 * Takes custody: fetches the custody statement for `account`, has the wallet (on the platform's chain) sign it
 * with eth_signTypedData_v4, and hands the signature to the platform, which moves admin of every collection of
 * the issuer to the wallet. Throws WalletError, WrongChainError or ApiError; nothing changes before the last step.
 */
export async function takeCustody(parameters: TakeCustodyParameters): Promise<CustodyTransfer> {
  const { provider, apiKey, account, keepOperatingKey, onStep } = parameters;
  onStep("preparing");
  const deadline = Math.floor(Date.now() / 1000) + STATEMENT_LIFETIME_SECONDS;
  const query = new URLSearchParams({ account, keepOperatingKey: String(keepOperatingKey), deadline: String(deadline) });
  const typedData = await api<TypedDataJson>(`/api/issuers/me/custody-typed-data?${query}`, { apiKey });

  // The statement names the platform's chain: a signature made on another chain would not verify.
  await ensureChain(provider, Number(typedData.domain.chainId), onStep);

  onStep("signing");
  const signature = await walletRequest<string>(provider, "eth_signTypedData_v4", [account, walletTypedData(typedData)]);

  onStep("submitting");
  // The signed statement is this action's: a lost answer is retried with its key, never signed twice.
  return apiWrite<CustodyTransfer>("/api/issuers/me/custody", new IdempotentAction(), { apiKey, body: { account, keepOperatingKey, deadline, signature } });
}
