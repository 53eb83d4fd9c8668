import type { Page } from "playwright-core";
import type { Hex, LocalAccount, TypedDataDefinition } from "viem";

import { BaseError, createWalletClient, defineChain, getAddress, http, isAddressEqual, isHex } from "viem";

/** Requests a real wallet asks its user about: the test decides the user's answer (see `setAnswer`). */
export type PromptedMethod = "eth_requestAccounts" | "eth_signTypedData_v4" | "eth_sendTransaction" | "personal_sign" | "wallet_switchEthereumChain";

export interface InstallInjectedWalletParameters {
  /** The wallet's one account; it signs in the test process (the private key never enters the page). */
  account: LocalAccount;
  /** The chain the wallet is on when the page loads: every JSON-RPC method it does not answer itself goes there. */
  rpcUrl: string;
  /** Further chains the page may switch the wallet to (wallet_switchEthereumChain); any other chain id answers 4902. */
  switchableRpcUrls?: readonly string[];
  /** Whether the page is already allowed to see the account (eth_accounts answers it without a prompt). Default false. */
  connected?: boolean;
}

export interface InjectedWalletRequest {
  method: string;
  params: unknown;
}

export interface InjectedWallet {
  address: Hex;
  /** Every request the page made, in order. */
  requests: InjectedWalletRequest[];
  /** The chain the wallet is on now. */
  chainId: () => number;
  /** The user's answer to the next prompts of `method` (default: approve); "reject" answers EIP-1193 4001. */
  setAnswer: (method: PromptedMethod, answer: "approve" | "reject") => void;
}

/** An EIP-1193 error as a wallet returns it: `code` is what pages switch on. */
class ProviderRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

interface Network {
  chainId: number;
  rpcUrl: string;
}

interface BridgeAnswer {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

const BRIDGE = "__injectedWalletRequest";

/**
 * The page side: `window.ethereum` (EIP-1193) whose every request crosses to the test process through the
 * exposed bridge function; errors come back as `{ code, message, data }`, as wallets throw them.
 */
const PAGE_PROVIDER = `(() => {
  const listeners = new Map();
  const provider = {
    isInjectedTestWallet: true,
    async request(args) {
      if (!args || typeof args.method !== "string") throw Object.assign(new Error("Invalid request"), { code: -32600 });
      const answer = await window.${BRIDGE}({ method: args.method, params: args.params ?? [] });
      if (answer.error) {
        const error = new Error(answer.error.message);
        error.code = answer.error.code;
        if (answer.error.data !== undefined) error.data = answer.error.data;
        throw error;
      }
      return answer.result;
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return provider;
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
    __emit(event, value) {
      for (const listener of listeners.get(event) ?? []) listener(value);
    },
  };
  window.ethereum = provider;
  window.dispatchEvent(new Event("ethereum#initialized"));
})();`;

async function rpc(rpcUrl: string, method: string, params: unknown): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: params ?? [] }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
  if (body.error) throw new ProviderRpcError(body.error.code, body.error.message, body.error.data);
  return body.result;
}

function toBigInt(value: unknown): bigint | undefined {
  return typeof value === "string" || typeof value === "number" ? BigInt(value) : undefined;
}

function withoutUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Installs into `page` (before it navigates) a `window.ethereum` backed by a real chain: the account signs with
 * viem in the test process (page.exposeFunction bridge), transactions are signed here and sent raw, every other
 * JSON-RPC method is forwarded to the chain the wallet is on. Nothing is stubbed: only the user's answer to a
 * prompt is the test's choice. Events (accountsChanged, chainChanged) are emitted on connect and on switch.
 */
export async function installInjectedWallet(page: Page, parameters: InstallInjectedWalletParameters): Promise<InjectedWallet> {
  const { account } = parameters;
  const networks: Network[] = [];
  for (const rpcUrl of [parameters.rpcUrl, ...(parameters.switchableRpcUrls ?? [])]) {
    networks.push({ rpcUrl, chainId: Number(BigInt((await rpc(rpcUrl, "eth_chainId", [])) as string)) });
  }
  let network = networks[0]!;
  let connected = parameters.connected ?? false;
  const answers = new Map<PromptedMethod, "approve" | "reject">();
  const requests: InjectedWalletRequest[] = [];

  const emit = async (event: "accountsChanged" | "chainChanged", value: unknown) => {
    await page.evaluate(`window.ethereum?.__emit(${JSON.stringify(event)}, ${JSON.stringify(value)})`).catch(() => undefined);
  };
  const prompt = (method: PromptedMethod) => {
    if ((answers.get(method) ?? "approve") === "reject") throw new ProviderRpcError(4001, "User rejected the request.");
  };
  const requireOwnAccount = (address: unknown) => {
    if (typeof address !== "string" || !isAddressEqual(address as Hex, account.address)) {
      throw new ProviderRpcError(4100, `The requested account ${String(address)} has not been authorized by the user.`);
    }
    if (!connected) throw new ProviderRpcError(4100, "The wallet is not connected to this page.");
  };

  // The cases a wallet answers itself; everything else is the chain's business.
  const answer = async (method: string, params: unknown[]): Promise<unknown> => {
    switch (method) {
      case "eth_accounts":
        return connected ? [account.address] : [];
      case "eth_requestAccounts":
        if (!connected) {
          prompt(method);
          connected = true;
          await emit("accountsChanged", [account.address]);
        }
        return [account.address];
      case "wallet_switchEthereumChain": {
        const wanted = Number(BigInt(String((params[0] as { chainId?: string } | undefined)?.chainId)));
        const target = networks.find((candidate) => candidate.chainId === wanted);
        if (!target) throw new ProviderRpcError(4902, `Unrecognized chain ID ${wanted}. Try adding the chain using wallet_addEthereumChain first.`);
        if (target !== network) {
          prompt(method);
          network = target;
          await emit("chainChanged", `0x${target.chainId.toString(16)}`);
        }
        return null;
      }
      case "eth_signTypedData_v4": {
        requireOwnAccount(params[0]);
        const json = params[1];
        const typedData = (typeof json === "string" ? JSON.parse(json) : json) as TypedDataDefinition;
        prompt(method);
        return account.signTypedData!(typedData);
      }
      case "personal_sign": {
        requireOwnAccount(params[1]);
        const message = String(params[0]);
        prompt(method);
        return account.signMessage!({ message: isHex(message) ? { raw: message } : message });
      }
      case "eth_sendTransaction": {
        const transaction = (params[0] ?? {}) as Record<string, string | undefined>;
        requireOwnAccount(transaction.from);
        prompt(method);
        const chain = defineChain({
          id: network.chainId,
          name: `test chain ${network.chainId}`,
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
          rpcUrls: { default: { http: [network.rpcUrl] } },
        });
        const wallet = createWalletClient({ account, chain, transport: http(network.rpcUrl) });
        // viem fills what the page left out (nonce, gas, fees) from the chain, signs here and sends it raw.
        return wallet.sendTransaction(
          withoutUndefined({
            to: transaction.to ? getAddress(transaction.to) : undefined,
            data: transaction.data as Hex | undefined,
            value: toBigInt(transaction.value),
            gas: toBigInt(transaction.gas),
            nonce: transaction.nonce === undefined ? undefined : Number(BigInt(transaction.nonce)),
            maxFeePerGas: toBigInt(transaction.maxFeePerGas),
            maxPriorityFeePerGas: toBigInt(transaction.maxPriorityFeePerGas),
          }) as Parameters<typeof wallet.sendTransaction>[0],
        );
      }
      case "eth_sign":
      case "eth_signTransaction":
      case "wallet_addEthereumChain":
        throw new ProviderRpcError(4200, `The wallet does not support ${method}.`);
      default:
        return rpc(network.rpcUrl, method, params);
    }
  };

  await page.exposeFunction(BRIDGE, async (request: InjectedWalletRequest): Promise<BridgeAnswer> => {
    requests.push(request);
    try {
      return { result: await answer(request.method, Array.isArray(request.params) ? request.params : []) };
    } catch (error) {
      if (error instanceof ProviderRpcError) return { error: { code: error.code, message: error.message, ...(error.data !== undefined ? { data: error.data } : {}) } };
      // A chain's refusal met inside viem (a reverting estimate, a nonce too low) keeps the chain's code, as a wallet relays it.
      const chainError = error instanceof BaseError ? error.walk((cause) => typeof (cause as { code?: unknown }).code === "number") : null;
      const code = (chainError as { code?: number } | null)?.code ?? -32603;
      return { error: { code, message: error instanceof BaseError ? error.shortMessage : String(error) } };
    }
  });
  await page.addInitScript(PAGE_PROVIDER);

  return {
    address: account.address,
    requests,
    chainId: () => network.chainId,
    setAnswer: (method, value) => void answers.set(method, value),
  };
}
