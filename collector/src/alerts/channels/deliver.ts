/**
 * Delivery: sends one notification through one channel, retrying what a retry can fix, and returns
 * every attempt for the delivery log. Never throws for a failed delivery; the result says what happened.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { channelConfigProblems, ChannelConfigSchema, channelSecrets, type ChannelConfig, type ChannelType } from "./config.js";
import { emailMailOptions, type MailTransport } from "./email.js";
import { DeliveryError, InvalidChannelConfigError, type DeliveryErrorCode } from "./errors.js";
import type { HttpRequest } from "./http-request.js";
import type { AlertEvent, AlertNotification } from "./notification.js";
import { ntfyRequest } from "./ntfy.js";
import { pagerDutyRequest } from "./pagerduty.js";
import { slackRequest } from "./slack.js";
import { teamsRequest } from "./teams.js";
import { webhookRequest } from "./webhook.js";

/** One try at handing the notification to the receiver. */
export interface DeliveryAttempt {
  /** When the attempt started (epoch ms). */
  at: number;
  durationMs: number;
  /** HTTP status or SMTP reply code, when the receiver answered. */
  status?: number;
  /** Why the attempt failed, free of secrets; absent when it succeeded. */
  error?: string;
  code?: DeliveryErrorCode;
}

/** The outcome of `deliver`, ready to be written to a delivery log. */
export interface DeliveryResult {
  channel: ChannelType;
  event: AlertEvent;
  alertId: string;
  /** Same for every attempt; webhook receivers see it as X-Vigil-Delivery. */
  deliveryId: string;
  ok: boolean;
  attempts: DeliveryAttempt[];
  /** When the receiver accepted it (epoch ms). */
  deliveredAt?: number;
  /** Why it was not delivered. `retryable`: whether delivering again later may succeed. */
  error?: { code: DeliveryErrorCode; message: string; retryable: boolean; status?: number };
}

/** pino-compatible; delivery logs failed attempts as warnings and undeliverable notifications as errors. */
export interface DeliveryLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Tuning and collaborators for `deliver`; defaults suit production, tests shrink the times. */
export interface DeliverOptions {
  /** Limit for one attempt, from connecting to reading the status (default 10 s). */
  timeoutMs?: number;
  /** Attempts in total, the first included (default 5). */
  maxAttempts?: number;
  /** First retry waits about this long, doubling each time, with jitter (default 1 s). */
  backoffBaseMs?: number;
  /** Longest wait between attempts from backoff (default 30 s). */
  backoffMaxMs?: number;
  /** Longest wait a receiver's Retry-After can impose (default 60 s). */
  maxRetryAfterMs?: number;
  /** The whole delivery, attempts and waits, never takes longer than this (default 60 s). */
  budgetMs?: number;
  /** Cancels the delivery (e.g. on shutdown); the result then has code `aborted`. */
  signal?: AbortSignal;
  /** Source of jitter, [0, 1) (default Math.random). */
  random?: () => number;
  logger?: DeliveryLogger;
  /** Required for e-mail channels: the SMTP transport and the sender address. */
  email?: { transport: MailTransport; from: string };
  /** Identifies this delivery across attempts (default: a random UUID). */
  deliveryId?: string;
}

export const DELIVERY_DEFAULTS = {
  timeoutMs: 10_000,
  maxAttempts: 5,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  maxRetryAfterMs: 60_000,
  budgetMs: 60_000,
} as const;

/** What one attempt needs: when it starts (for signatures) and how long it may take. */
type Send = (attemptAt: number, timeoutMs: number) => Promise<number | undefined>;

/** Delivers a notification through a channel with per-attempt timeouts, retries and backoff; resolves with every attempt. */
export async function deliver(channel: ChannelConfig, notification: AlertNotification, options: DeliverOptions = {}): Promise<DeliveryResult> {
  const o = { ...DELIVERY_DEFAULTS, ...definedOnly(options) };
  const random = options.random ?? Math.random;
  const deliveryId = options.deliveryId ?? randomUUID();
  const result: DeliveryResult = {
    channel: (channel as { type?: ChannelType } | null)?.type ?? ("unknown" as ChannelType),
    event: notification.event,
    alertId: notification.alertId,
    deliveryId,
    ok: false,
    attempts: [],
  };

  const parsed = ChannelConfigSchema.safeParse(channel);
  if (!parsed.success) {
    // Field names and problems only: the schema's messages never repeat the values.
    const err = new InvalidChannelConfigError(channelConfigProblems(parsed.error));
    return fail(result, new DeliveryError("invalid_config", `${result.channel}: ${err.message}`, { retryable: false }), options.logger, {});
  }
  const config = parsed.data;
  const secrets = channelSecrets(config);
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);

  let send: Send;
  let host: string;
  if (config.type === "email") {
    if (!options.email) {
      return fail(result, new DeliveryError("invalid_config", "email: the collector has no SMTP relay configured (set VIGIL_SMTP_URL and VIGIL_SMTP_FROM)", { retryable: false }), options.logger, {});
    }
    const { transport, from } = options.email;
    const mail = emailMailOptions(config, notification, from);
    host = "smtp";
    send = (_at, timeoutMs) => sendMailOnce(transport, mail, timeoutMs, options.signal);
  } else {
    const build = httpRequestBuilder(config, notification, deliveryId);
    host = new URL(build(Date.now()).url).host;
    send = (at, timeoutMs) => postOnce(build(at), config.type, timeoutMs, o.maxRetryAfterMs, options.signal);
  }
  const logFields = { channel: config.type, host, alertId: notification.alertId, event: notification.event, deliveryId };

  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const remaining = o.budgetMs - (performance.now() - started);
    const at = Date.now();
    const t0 = performance.now();
    try {
      const status = await send(at, Math.max(1, Math.min(o.timeoutMs, remaining)));
      result.attempts.push({ at, durationMs: elapsed(t0), ...(status !== undefined ? { status } : {}) });
      result.ok = true;
      result.deliveredAt = Date.now();
      return result;
    } catch (e) {
      const err = asDeliveryError(e, config.type, scrub);
      result.attempts.push({
        at,
        durationMs: elapsed(t0),
        ...(err.status !== undefined ? { status: err.status } : {}),
        error: err.message,
        code: err.code,
      });
      if (!err.retryable) return fail(result, err, options.logger, logFields);
      if (attempt >= o.maxAttempts) return fail(result, err, options.logger, logFields, `gave up after ${attempt} attempts`);
      const wait = err.retryAfterMs ?? backoffDelay(attempt, o.backoffBaseMs, o.backoffMaxMs, random);
      if (performance.now() - started + wait >= o.budgetMs) {
        return fail(result, err, options.logger, logFields, `gave up after ${attempt} attempts: the ${o.budgetMs} ms budget is spent`);
      }
      options.logger?.warn({ ...logFields, attempt, status: err.status, code: err.code, retryInMs: wait }, err.message);
      try {
        await sleep(wait, undefined, options.signal ? { signal: options.signal } : {});
      } catch {
        return fail(result, new DeliveryError("aborted", `${config.type}: delivery cancelled`, { retryable: true }), options.logger, logFields);
      }
    }
  }
}

/** Exponential backoff with "equal jitter": half the step is fixed, half random, so retries spread out but never bunch at zero. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function httpRequestBuilder(config: Exclude<ChannelConfig, { type: "email" }>, n: AlertNotification, deliveryId: string): (at: number) => HttpRequest {
  switch (config.type) {
    case "webhook":
      return webhookRequest(config, n, deliveryId);
    case "slack": {
      const request = slackRequest(config, n);
      return () => request;
    }
    case "teams": {
      const request = teamsRequest(config, n);
      return () => request;
    }
    case "pagerduty": {
      const request = pagerDutyRequest(config, n);
      return () => request;
    }
    case "ntfy": {
      const request = ntfyRequest(config, n);
      return () => request;
    }
  }
}

/** POSTs once; resolves with the 2xx status or throws a DeliveryError that says whether to retry. */
async function postOnce(request: HttpRequest, label: string, timeoutMs: number, maxRetryAfterMs: number, signal?: AbortSignal): Promise<number> {
  const host = new URL(request.url).host;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const combined = signal ? AbortSignal.any([timeout.signal, signal]) : timeout.signal;
  try {
    // Redirects are not followed: a POST would turn into a GET, and an alert must not wander to another address.
    const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body, redirect: "manual", signal: combined });
    const status = response.status;
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return status;
    }
    const snippet = await readSnippet(response, 300);
    if (status === 429 || status === 408 || status >= 500) {
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      throw new DeliveryError("http_status", `${label}: ${host} answered ${status}${snippet ? `: ${snippet}` : ""}`, {
        retryable: true,
        status,
        ...(retryAfter !== undefined ? { retryAfterMs: Math.min(retryAfter, maxRetryAfterMs) } : {}),
      });
    }
    if (status >= 300 && status < 400) {
      throw new DeliveryError("redirect", `${label}: ${host} answered ${status} (redirect); redirects are not followed, update the URL`, {
        retryable: false,
        status,
      });
    }
    throw new DeliveryError("http_status", `${label}: ${host} refused the notification with ${status}${snippet ? `: ${snippet}` : ""}`, {
      retryable: false,
      status,
    });
  } catch (e) {
    if (e instanceof DeliveryError) throw e;
    if (timeout.signal.aborted) throw new DeliveryError("timeout", `${label}: no answer from ${host} within ${timeoutMs} ms`, { retryable: true });
    if (signal?.aborted) throw new DeliveryError("aborted", `${label}: delivery cancelled`, { retryable: true });
    throw new DeliveryError("network", `${label}: cannot reach ${host}: ${networkReason(e)}`, { retryable: true });
  } finally {
    clearTimeout(timer);
  }
}

/** The start of an error response's body, on one line: Slack and PagerDuty explain refusals there. */
async function readSnippet(response: Response, maxChars: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < maxChars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body that breaks off still leaves the status, which is what matters.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  text = text.replace(/\s+/g, " ").trim();
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  if (cause && typeof cause.message === "string") return cause.message;
  return e instanceof Error ? e.message : String(e);
}

const TRANSIENT_MAIL_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNREFUSED", "ECONNRESET", "EPIPE", "EHOSTUNREACH"]);

/** Hands the mail to the SMTP server once; resolves with its reply code. */
async function sendMailOnce(transport: MailTransport, mail: Parameters<MailTransport["sendMail"]>[0], timeoutMs: number, signal?: AbortSignal): Promise<number | undefined> {
  const sending = transport.sendMail(mail);
  // nodemailer cannot be cancelled: a send that outlives its timeout may still arrive, which is
  // the better failure for an alert (a duplicate mail rather than none). Its late rejection is dropped.
  sending.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeliveryError("timeout", `email: no answer from the SMTP server within ${timeoutMs} ms`, { retryable: true })), timeoutMs);
    onAbort = () => reject(new DeliveryError("aborted", "email: delivery cancelled", { retryable: true }));
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
  });
  try {
    const info = (await Promise.race([sending, stop])) as { response?: unknown } | undefined;
    const code = typeof info?.response === "string" ? /^(\d{3})/.exec(info.response)?.[1] : undefined;
    return code ? Number(code) : undefined;
  } catch (e) {
    if (e instanceof DeliveryError) throw e;
    const err = e as { responseCode?: unknown; code?: unknown; message?: unknown };
    const message = `email: ${typeof err.message === "string" ? err.message : "sending failed"}`;
    if (typeof err.responseCode === "number") {
      // SMTP's own classes: 4xx is "try again later", 5xx is final.
      const retryable = err.responseCode >= 400 && err.responseCode < 500;
      throw new DeliveryError("smtp", message, { retryable, status: err.responseCode });
    }
    const transient = typeof err.code === "string" && TRANSIENT_MAIL_CODES.has(err.code);
    throw new DeliveryError(transient ? "network" : "smtp", message, { retryable: transient });
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

function asDeliveryError(e: unknown, label: string, scrub: (text: string) => string): DeliveryError {
  if (e instanceof DeliveryError) {
    const message = scrub(e.message);
    if (message === e.message) return e;
    const opts: { retryable: boolean; status?: number; retryAfterMs?: number } = { retryable: e.retryable };
    if (e.status !== undefined) opts.status = e.status;
    if (e.retryAfterMs !== undefined) opts.retryAfterMs = e.retryAfterMs;
    return new DeliveryError(e.code, message, opts);
  }
  // A bug rather than a delivery problem; retrying the same input would fail the same way.
  return new DeliveryError("invalid_config", scrub(`${label}: ${e instanceof Error ? e.message : String(e)}`), { retryable: false });
}

function fail(result: DeliveryResult, err: DeliveryError, logger: DeliveryLogger | undefined, fields: Record<string, unknown>, prefix?: string): DeliveryResult {
  const message = prefix ? `${prefix}: ${err.message}` : err.message;
  result.ok = false;
  result.error = { code: err.code, message, retryable: err.retryable, ...(err.status !== undefined ? { status: err.status } : {}) };
  logger?.error({ ...fields, attempts: result.attempts.length, status: err.status, code: err.code, retryable: err.retryable }, `notification not delivered: ${message}`);
  return result;
}

function elapsed(t0: number): number {
  return Math.round(performance.now() - t0);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
