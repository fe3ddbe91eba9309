/** One HTTP POST a channel wants sent: built per attempt, so signed headers carry a fresh timestamp. */
export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  /** The exact bytes to send, as UTF-8 text (signatures are computed over it). */
  body: string;
}

/** Sent on every request, so receivers and proxies can tell Vigil's traffic apart. */
export const USER_AGENT = "Vigil-Alerts/1";
