import type { Eip1193Provider } from "../issuer/injectedProvider.js";

import { WALLET_ERROR, WalletError, walletRequest } from "../issuer/injectedProvider.js";

/** The wallet is on another chain than the one asked for and did not switch. */
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
 * Asks the wallet to be on `chainId`: switches when it is elsewhere (`onSwitching` is told first). A refusal
 * stays a WalletError (4001); a wallet that does not know the chain, or still reports another after switching,
 * is a WrongChainError. Shared by the custody panel and the gift form.
 */
export async function ensureWalletChain(provider: Eip1193Provider, chainId: number, onSwitching: () => void): Promise<void> {
  const current = await walletChainId(provider);
  if (current === chainId) return;
  onSwitching();
  try {
    await walletRequest(provider, "wallet_switchEthereumChain", [{ chainId: `0x${chainId.toString(16)}` }]);
  } catch (error) {
    if (error instanceof WalletError && error.code === WALLET_ERROR.userRejected) throw error;
    throw new WrongChainError(chainId, current);
  }
  const switched = await walletChainId(provider);
  if (switched !== chainId) throw new WrongChainError(chainId, switched);
}
