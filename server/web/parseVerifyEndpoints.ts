import type { Address } from "viem";

import { getAddress, isAddress } from "viem";

/** The endpoints this platform offers readers for in-browser verification, and the chain they serve. */
export interface PlatformVerifyEndpoints {
  /** The platform's JSON-RPC endpoint as browsers may reach it; null when it publishes none. */
  rpcUrl: string | null;
  /** The platform's own factory, and the block it was deployed in (where a collection search starts). */
  factory: Address;
  factoryFromBlock: bigint;
  chainId: number;
}

/** A query parameter the server would not let the page call, and why (a key the page translates). */
export interface RefusedEndpoint {
  field: "rpc" | "gateway" | "factory";
  value: string;
  reason: "notUrl" | "notHttp" | "hasCredentials" | "hasQuery" | "tooLong" | "notAddress";
}

/**
 * What one page may verify against, as the server allows it: the page's CSP names exactly these
 * endpoints, and the page reads them from its `<meta name="vermilion-verify">` (never from its URL,
 * which client-side navigation changes while the document and its CSP stay).
 */
export interface VerifyEndpoints {
  /** null when the reader chose none and the platform publishes none. */
  rpcUrl: string | null;
  /** An IPFS trustless gateway's base URL; null: this site's own /ipfs gateway. */
  gatewayUrl: string | null;
  factory: Address;
  /** Decimal; the platform's deployment block when the factory is the platform's, else "0" (the whole chain). */
  factoryFromBlock: string;
  /** The chain the platform's tokens live on: a reader's RPC serving another chain fails `contract.identity`. */
  chainId: number;
  /** The platform's own choices, so the page can label each endpoint that trusts this platform. */
  platform: { rpcUrl: string | null; gatewayUrl: null; factory: Address };
  refused: RefusedEndpoint[];
}

// Longer than any endpoint a reader types; short enough that the CSP header stays small.
const MAX_URL_LENGTH = 500;

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: RefusedEndpoint["reason"] };

/**
 * An endpoint base URL a page may call:
 * 1. at most MAX_URL_LENGTH characters, and a URL;
 * 2. http: or https: only (no javascript:, data:, ws: — the browser verifier speaks HTTP);
 * 3. no user name or password (they would be published in the page and its CSP);
 * 4. no query or fragment (the verifier appends its own paths).
 * Returned without a trailing slash.
 */
function parseEndpointUrl(text: string): Parsed<string> {
  if (text.length > MAX_URL_LENGTH) return { ok: false, reason: "tooLong" };
  if (!URL.canParse(text)) return { ok: false, reason: "notUrl" };
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "notHttp" };
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "hasCredentials" };
  if (url.search !== "" || url.hash !== "") return { ok: false, reason: "hasQuery" };
  return { ok: true, value: url.href.replace(/\/+$/, "") };
}

/** A query parameter as one string: absent, empty or repeated (`?rpc=a&rpc=b`) reads as its first non-empty value. */
function single(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value.find((item) => typeof item === "string" && item !== "") : value;
  return typeof first === "string" && first !== "" ? first : undefined;
}

/**
 * The endpoints a page verifies against: the reader's `?rpc=`, `?gateway=` and `?factory=` where valid,
 * the platform's otherwise. A value refused falls back to the platform's and is listed in `refused`,
 * which the page shows, so a bad link still opens a page that says what it trusts instead.
 */
export function parseVerifyEndpoints(query: Record<string, unknown>, platform: PlatformVerifyEndpoints): VerifyEndpoints {
  const refused: RefusedEndpoint[] = [];
  const urlParameter = (field: "rpc" | "gateway"): string | undefined => {
    const text = single(query[field]);
    if (text === undefined) return undefined;
    const parsed = parseEndpointUrl(text);
    if (parsed.ok) return parsed.value;
    refused.push({ field, value: text.slice(0, 200), reason: parsed.reason });
    return undefined;
  };
  const rpcUrl = urlParameter("rpc") ?? platform.rpcUrl;
  const gatewayUrl = urlParameter("gateway") ?? null;
  const platformFactory = getAddress(platform.factory);
  let factory = platformFactory;
  const factoryText = single(query.factory);
  if (factoryText !== undefined) {
    if (isAddress(factoryText, { strict: false })) factory = getAddress(factoryText);
    else refused.push({ field: "factory", value: factoryText.slice(0, 200), reason: "notAddress" });
  }
  return {
    rpcUrl,
    gatewayUrl,
    factory,
    factoryFromBlock: factory === platformFactory ? platform.factoryFromBlock.toString() : "0",
    chainId: platform.chainId,
    platform: { rpcUrl: platform.rpcUrl, gatewayUrl: null, factory: platformFactory },
    refused,
  };
}

/** The origins the page's verifier calls besides its own: the RPC's and the gateway's, each once. */
export function verifyEndpointOrigins(endpoints: Pick<VerifyEndpoints, "rpcUrl" | "gatewayUrl">): string[] {
  const origins = [endpoints.rpcUrl, endpoints.gatewayUrl].filter((url): url is string => url !== null).map((url) => new URL(url).origin);
  return [...new Set(origins)];
}
