import type { Address } from "viem";
import type { VerifyEndpoints } from "../../../server/web/parseVerifyEndpoints.js";

export type { RefusedEndpoint, VerifyEndpoints } from "../../../server/web/parseVerifyEndpoints.js";

/** The endpoints one in-browser run calls, each resolved to a URL, and whether it is the platform's. */
export interface ChosenEndpoints {
  rpcUrl: string;
  gatewayUrl: string;
  factory: Address;
  factoryFromBlock: bigint;
  chainId: number;
  trustsPlatform: { rpc: boolean; gateway: boolean; factory: boolean };
}

/**
 * The endpoints the server chose for this document (`<meta name="vermilion-verify">`, written by
 * server/web/webRouter.ts beside a CSP naming exactly them). Read from the document, never from the
 * URL: client-side navigation changes the URL, but the document and its CSP stay. null when the page
 * was served without them (Vite's dev server, an old server).
 */
export function pageVerifyEndpoints(): VerifyEndpoints | null {
  const content = document.querySelector<HTMLMetaElement>('meta[name="vermilion-verify"]')?.content;
  if (!content) return null;
  try {
    return JSON.parse(content) as VerifyEndpoints;
  } catch {
    return null;
  }
}

/** The run's endpoints, with this site's own /ipfs gateway spelled out; null without an RPC endpoint. */
export function chooseEndpoints(endpoints: VerifyEndpoints): ChosenEndpoints | null {
  if (endpoints.rpcUrl === null) return null;
  return {
    rpcUrl: endpoints.rpcUrl,
    gatewayUrl: endpoints.gatewayUrl ?? location.origin,
    factory: endpoints.factory,
    factoryFromBlock: BigInt(endpoints.factoryFromBlock),
    chainId: endpoints.chainId,
    trustsPlatform: {
      rpc: endpoints.rpcUrl === endpoints.platform.rpcUrl,
      gateway: endpoints.gatewayUrl === null || endpoints.gatewayUrl === location.origin,
      factory: endpoints.factory.toLowerCase() === endpoints.platform.factory.toLowerCase(),
    },
  };
}

/**
 * This page's URL with the reader's endpoints in its query (`?rpc=&gateway=&factory=`), each left out
 * where it is the platform's, so the server sends the page again with a CSP naming exactly them.
 */
export function urlWithEndpoints(choice: { rpcUrl: string; gatewayUrl: string; factory: string }, platform: VerifyEndpoints["platform"]): string {
  const url = new URL(location.href);
  const set = (name: string, value: string, isPlatforms: boolean) => {
    if (value === "" || isPlatforms) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  };
  const rpcUrl = choice.rpcUrl.replace(/\/+$/, "");
  const gatewayUrl = choice.gatewayUrl.replace(/\/+$/, "");
  set("rpc", rpcUrl, rpcUrl === platform.rpcUrl);
  set("gateway", gatewayUrl, gatewayUrl === location.origin);
  // A checksummed and a lowercase spelling are one factory.
  set("factory", choice.factory, choice.factory.toLowerCase() === platform.factory.toLowerCase());
  return url.toString();
}
