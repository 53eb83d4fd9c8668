/** An EIP-1193 provider as browser wallets inject it (window.ethereum). */
export interface Eip1193Provider {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>;
  on?(event: string, listener: (value: unknown) => void): unknown;
  removeListener?(event: string, listener: (value: unknown) => void): unknown;
}

/** EIP-1193 and EIP-1474 codes the console answers in words; any other code is shown with the wallet's message. */
export const WALLET_ERROR = {
  userRejected: 4001,
  unauthorized: 4100,
  unrecognizedChain: 4902,
  requestPending: -32002,
} as const;

/** A wallet's refusal or failure: `code` is the EIP-1193 code the wallet gave, or null when it gave none. */
export class WalletError extends Error {
  constructor(
    readonly code: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** The wallet the browser injected, or null: without one, custody stays with Vermilion. */
export function findInjectedProvider(): Eip1193Provider | null {
  // globalThis is window in a page; spelled so, this file also type-checks under the Node tests that import it.
  const candidate = (globalThis as unknown as { ethereum?: unknown }).ethereum;
  return candidate && typeof (candidate as Eip1193Provider).request === "function" ? (candidate as Eip1193Provider) : null;
}

/** One request to the wallet; whatever it throws becomes a WalletError carrying its EIP-1193 code. */
export async function walletRequest<Result>(provider: Eip1193Provider, method: string, params: readonly unknown[] = []): Promise<Result> {
  try {
    return (await provider.request({ method, params })) as Result;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = (error as { message?: unknown } | null)?.message;
    throw new WalletError(typeof code === "number" ? code : null, typeof message === "string" ? message : String(error));
  }
}
