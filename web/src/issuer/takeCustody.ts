import type { CustodyTransfer, TypedDataJson } from "../apiTypes.js";
import type { Eip1193Provider } from "./injectedProvider.js";

import { IdempotentAction, api, apiWrite } from "../api.js";
import { ensureWalletChain } from "../wallet/ensureWalletChain.js";
import { walletRequest } from "./injectedProvider.js";
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
  const chainId = Number(typedData.domain.chainId);
  await ensureWalletChain(provider, chainId, () => onStep("switchingChain", { chainId }));

  onStep("signing");
  const signature = await walletRequest<string>(provider, "eth_signTypedData_v4", [account, walletTypedData(typedData)]);

  onStep("submitting");
  // The signed statement is this action's: a lost answer is retried with its key, never signed twice.
  return apiWrite<CustodyTransfer>("/api/issuers/me/custody", new IdempotentAction(), { apiKey, body: { account, keepOperatingKey, deadline, signature } });
}
