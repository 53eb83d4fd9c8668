import type { Account, Chain, Hex, LocalAccount, PublicClient, Transport, WalletClient } from "viem";
import type { ChainFees } from "./fees/feePolicy.js";

import { createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { DEFAULT_FEE_POLICY } from "../config/feePolicySettings.js";
import { toStoredAddress } from "./toStoredAddress.js";

export interface ChainClients {
  chainId: number;
  rpcUrl: string;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
  /**
   * A wallet client for another local account on the same chain and transport: an issuer's operating
   * or custodial admin key (`IssuerKeyring`). One client per address, made on first use.
   */
  walletFor(account: LocalAccount): WalletClient<Transport, Chain, Account>;
  /** How every transaction on this chain is priced and budgeted (server/chain/fees/payFees.ts). */
  fees: ChainFees;
}

export interface CreateChainClientsParameters {
  rpcUrl: string;
  chainId: number;
  signerPrivateKey: Hex;
  /** Polling interval for receipts and block watching. Local chains mine instantly: poll fast. */
  pollingIntervalMs?: number;
  /** Told of every JSON-RPC call that failed (after viem's own retries), e.g. for metrics. */
  onRequestError?: (method: string, error: unknown) => void;
  /** The deployment's fee policy and budget; default: no caps, no budget, the type the chain suggests. */
  fees?: ChainFees;
}

/** viem clients for one chain: reads through `publicClient`, the platform's signer in `walletClient`. */
export function createChainClients(parameters: CreateChainClientsParameters): ChainClients {
  const chain = defineChain({
    id: parameters.chainId,
    name: `chain ${parameters.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const httpTransport = http(parameters.rpcUrl, { retryCount: 3, timeout: 30_000 });
  const { onRequestError } = parameters;
  const transport: Transport = onRequestError
    ? (options) => {
        const inner = httpTransport(options);
        const request = (async (args: { method: string; params?: unknown }, requestOptions?: unknown) => {
          try {
            return await inner.request(args as never, requestOptions as never);
          } catch (error) {
            onRequestError(args.method, error);
            throw error;
          }
        }) as typeof inner.request;
        return { ...inner, request };
      }
    : httpTransport;
  const pollingInterval = parameters.pollingIntervalMs ?? 250;
  // The signer's address enters the platform here, so it is lowercased here, once (it signs alike in any case).
  const signer = privateKeyToAccount(parameters.signerPrivateKey);
  const walletClient = createWalletClient({
    chain,
    transport,
    account: { ...signer, address: toStoredAddress(signer.address) },
    pollingInterval,
  });
  const wallets = new Map<string, WalletClient<Transport, Chain, Account>>([[walletClient.account.address, walletClient]]);
  return {
    chainId: parameters.chainId,
    rpcUrl: parameters.rpcUrl,
    publicClient: createPublicClient({ chain, transport, pollingInterval }),
    walletClient,
    fees: parameters.fees ?? { policy: DEFAULT_FEE_POLICY, budget: undefined },
    walletFor(account) {
      const address = toStoredAddress(account.address);
      let wallet = wallets.get(address);
      if (!wallet) {
        wallet = createWalletClient({ chain, transport, account: { ...account, address }, pollingInterval });
        wallets.set(address, wallet);
      }
      return wallet;
    },
  };
}
