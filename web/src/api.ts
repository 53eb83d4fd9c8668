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

/**
 * One user action's Idempotency-Key. The key stays the same while the same request is sent again
 * after its answer was lost (a network error, a gateway timeout, a twin still running), so the
 * platform does the write once; once an answer arrives (done or refused) the next attempt is a new
 * action with a new key. `fingerprint` is the request as sent: change a field and it is a new action.
 */
export class IdempotentAction {
  #key: string | null = null;
  #fingerprint: string | null = null;

  keyFor(fingerprint: string): string {
    if (this.#key === null || this.#fingerprint !== fingerprint) {
      this.#key = crypto.randomUUID();
      this.#fingerprint = fingerprint;
    }
    return this.#key;
  }

  /** After an attempt: keep the key if its answer may have been lost, else let the next attempt start afresh. */
  settle(error: unknown): void {
    if (!answerMayBeLost(error)) {
      this.#key = null;
      this.#fingerprint = null;
    }
  }
}

/** Whether the write may have happened without its answer reaching us (so a retry must reuse its key). */
export function answerMayBeLost(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.status === 0 || error.status === 408 || error.status === 502 || error.status === 503 || error.status === 504 || error.code === "IDEMPOTENCY_REQUEST_IN_PROGRESS";
}

const WRITE_ATTEMPTS = 3;

/**
 * A write (POST) with `action`'s Idempotency-Key, sent again up to twice with the same key when its
 * answer was lost; the answer of the write, which the platform makes once however often it is sent.
 */
export async function apiWrite<Body>(path: string, action: IdempotentAction, options: Omit<RequestOptions, "method"> = {}): Promise<Body> {
  const key = action.keyFor(`${path} ${JSON.stringify(options.body ?? null)}`);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await api<Body>(path, { ...options, method: "POST", headers: { ...options.headers, "idempotency-key": key } });
      action.settle(null);
      return answer;
    } catch (error) {
      if (attempt >= WRITE_ATTEMPTS || !answerMayBeLost(error)) {
        action.settle(error);
        throw error;
      }
      const retryAfterSeconds = error instanceof ApiError && typeof error.details.retryAfterSeconds === "number" ? error.details.retryAfterSeconds : attempt;
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterSeconds, 5) * 1000));
    }
  }
}
