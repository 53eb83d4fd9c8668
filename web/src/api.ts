import { locale } from "./i18n/i18n.js";

/** An error answer from the API: its stable code and the message in the reader's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: string;
  apiKey?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** JSON over fetch; non-2xx answers become ApiError (network failures too, as NETWORK_ERROR). */
export async function api<Body>(path: string, options: RequestOptions = {}): Promise<Body> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      headers: {
        accept: "application/json",
        "accept-language": locale(),
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw new ApiError(0, "NETWORK_ERROR", error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, error?.details ?? {});
  }
  return body as Body;
}

/** The gateway URL of a CID (optionally a path under it) on this server. */
export function ipfsUrl(cid: string, path = ""): string {
  return `/ipfs/${cid}${path ? `/${path}` : ""}`;
}

/** `ipfs://cid/path` → `/ipfs/cid/path`; other URLs unchanged. */
export function gatewayUrlOf(uri: string): string {
  return uri.startsWith("ipfs://") ? `/ipfs/${uri.slice("ipfs://".length)}` : uri;
}
