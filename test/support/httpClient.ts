/** A tiny JSON client for API tests: returns status and parsed body, never throws on 4xx/5xx. */
export interface ApiResponse<Body = unknown> {
  status: number;
  body: Body;
  headers: Headers;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export function createApiClient(baseUrl: string) {
  return async function call<Body = unknown>(
    method: string,
    route: string,
    options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<Body>> {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
        ...(options.body !== undefined || options.rawBody !== undefined ? { "content-type": "application/json" } : {}),
        ...options.headers,
      },
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body, headers: response.headers };
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The error code of an error response. */
export function errorCode(response: ApiResponse): string | undefined {
  return (response.body as ApiErrorBody | undefined)?.error?.code;
}
