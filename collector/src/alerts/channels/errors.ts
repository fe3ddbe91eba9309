/** What went wrong with one delivery attempt (or with the delivery as a whole). */
export type DeliveryErrorCode =
  /** The receiver did not answer within the attempt's timeout. */
  | "timeout"
  /** Connection refused or reset, DNS failure, TLS failure: nothing usable came back. */
  | "network"
  /** The receiver answered with a status that is not 2xx (429 included). */
  | "http_status"
  /** The receiver answered with a redirect; alerts are never re-sent to another address. */
  | "redirect"
  /** The SMTP server or the mail transport refused the message. */
  | "smtp"
  /** The channel's configuration is invalid, or something the channel needs was not passed in. */
  | "invalid_config"
  /** The caller cancelled the delivery (shutdown). */
  | "aborted";

/**
 * A failed delivery attempt. `retryable` says whether sending the same notification again can help:
 * true for timeouts, network errors, 429 and 5xx; false for other 4xx, redirects and bad configuration.
 * Messages name the channel and the receiver's host, never a URL path, token or body we sent.
 */
export class DeliveryError extends Error {
  readonly code: DeliveryErrorCode;
  readonly retryable: boolean;
  /** HTTP status or SMTP reply code, when the receiver answered. */
  readonly status?: number;
  /** How long the receiver asked us to wait (Retry-After), already capped by the caller's limit. */
  readonly retryAfterMs?: number;

  constructor(code: DeliveryErrorCode, message: string, opts: { retryable: boolean; status?: number; retryAfterMs?: number }) {
    super(message);
    this.name = "DeliveryError";
    this.code = code;
    this.retryable = opts.retryable;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}

/** One problem with one field of a channel configuration. */
export interface ChannelFieldProblem {
  /** Dotted path of the field, e.g. `webhookUrl` or `headers.X-Api-Key` or `to.1`. */
  field: string;
  problem: string;
}

/**
 * A channel configuration that cannot be used. Carries every problem so an API can show them all;
 * the message reads `"<field>: <problem>; ..."` like the API's validation errors. Never retryable.
 */
export class InvalidChannelConfigError extends Error {
  readonly retryable = false;
  readonly problems: readonly ChannelFieldProblem[];

  constructor(problems: readonly ChannelFieldProblem[]) {
    super(problems.map((p) => (p.field ? `${p.field}: ${p.problem}` : p.problem)).join("; ") || "invalid channel configuration");
    this.name = "InvalidChannelConfigError";
    this.problems = problems;
  }

  /** The first field at fault. */
  get field(): string {
    return this.problems[0]?.field ?? "";
  }
}

/** Why an acknowledgement link was refused. */
export type AckTokenProblem = "malformed" | "forged" | "expired";

/**
 * An acknowledgement token that must not be honoured. `forged` covers a wrong key as well as a
 * tampered token; `expired` is only reported for tokens whose signature is valid. Never retryable.
 */
export class AckTokenError extends Error {
  readonly retryable = false;
  readonly reason: AckTokenProblem;
  /** When the token stopped being valid (epoch ms), for `expired`. */
  readonly expiredAt?: number;

  constructor(reason: AckTokenProblem, message: string, expiredAt?: number) {
    super(message);
    this.name = "AckTokenError";
    this.reason = reason;
    if (expiredAt !== undefined) this.expiredAt = expiredAt;
  }
}
