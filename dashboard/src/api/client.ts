import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";

/** An error answered by the API, with its machine code and the fields it names. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiFailure";
  }

  /** Problems per request field, parsed from the API's `"<field>: <problem>; …"` message. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.code !== "invalid_request") return out;
    for (const part of this.message.split("; ")) {
      const m = /^([\w.[\]]+): (.+)$/.exec(part);
      if (m) out[m[1]!] ??= m[2]!;
    }
    return out;
  }

  /** Whether trying again later may help (network, storage or server trouble). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 503 || this.status === 502 || this.status === 504;
  }
}

/**
 * Called when a request came back 401 while the page is open: resolves once the user has logged in again
 * (the request is then retried), or rejects when they gave up. Set by the session provider.
 */
let reauthenticate: (() => Promise<void>) | null = null;

/** Lets the session provider take over when the session expires mid-use. */
export function onSessionExpired(handler: (() => Promise<void>) | null): void {
  reauthenticate = handler;
}

// Every request says it comes from the dashboard: the collector refuses cookie-authenticated changes without
// this header, which a cross-site form cannot send.
const csrf: Middleware = {
  onRequest({ request }) {
    request.headers.set("X-Vigil-Request", "1");
    return request;
  },
};

/** Sends a request; on 401 waits for a new login and sends it once more, so what the user typed is not lost. */
async function sendWithRelogin(input: Request): Promise<Response> {
  const retry = input.clone();
  const res = await fetch(input);
  if (res.status !== 401 || !reauthenticate || new URL(input.url).pathname === "/api/v1/session") return res;
  await reauthenticate();
  return fetch(retry);
}

/** The typed API client (paths and bodies come from the collector's OpenAPI document). */
export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin", fetch: sendWithRelogin });
api.use(csrf);

/** Unwraps an openapi-fetch result: the data, or an {@link ApiFailure}. */
export async function call<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await promise;
  } catch (err) {
    throw new ApiFailure(0, "network", `cannot reach the collector (${(err as Error).message})`);
  }
  if (result.response.ok) return result.data as T;
  const body = result.error as { error?: { code?: string; message?: string } } | undefined;
  throw new ApiFailure(result.response.status, body?.error?.code ?? "http_" + result.response.status, body?.error?.message ?? result.response.statusText);
}
