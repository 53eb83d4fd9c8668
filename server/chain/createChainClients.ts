import type { Account, Chain, Hex, PublicClient, Transport, WalletClient } from "viem";

import { createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export interface ChainClients {
  chainId: number;
  rpcUrl: string;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
}

export interface CreateChainClientsParameters {
  rpcUrl: string;
  chainId: number;
  signerPrivateKey: Hex;
  /** Polling interval for receipts and block watching. Local chains mine instantly: poll fast. */
  pollingIntervalMs?: number;
}

/** viem clients for one chain: reads through `publicClient`, the platform's signer in `walletClient`. */
export function createChainClients(parameters: CreateChainClientsParameters): ChainClients {
  const chain = defineChain({
    id: parameters.chainId,
    name: `chain ${parameters.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const transport = http(parameters.rpcUrl, { retryCount: 3, timeout: 30_000 });
  const pollingInterval = parameters.pollingIntervalMs ?? 250;
  return {
    chainId: parameters.chainId,
    rpcUrl: parameters.rpcUrl,
    publicClient: createPublicClient({ chain, transport, pollingInterval }),
    walletClient: createWalletClient({
      chain,
      transport,
      account: privateKeyToAccount(parameters.signerPrivateKey),
      pollingInterval,
    }),
  };
}
