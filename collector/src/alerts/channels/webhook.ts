/**
 * Generic webhook: a JSON document about the alert, POSTed to the configured URL and signed with
 * HMAC-SHA256 when a secret is set. The scheme is specified in README.md; change both together.
 */
import { createHmac } from "node:crypto";
import type { WebhookChannel } from "./config.js";
import { ackLink, dashboardLink, isoTime } from "./format.js";
import { USER_AGENT, type HttpRequest } from "./http-request.js";
import type { AlertNotification } from "./notification.js";

/** Version of the JSON document below; bumped only on incompatible changes. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/** The JSON body of a webhook notification. */
export interface WebhookPayload {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  event: AlertNotification["event"];
  /** Same for every retry of one delivery: receivers drop duplicates by it. */
  deliveryId: string;
  alert: {
    id: string;
    rule: string;
    severity: AlertNotification["severity"];
    subject: AlertNotification["subject"];
    client: string;
    site: string | null;
    summary: string;
    dedupKey: string;
    startedAt: string;
    acknowledgedAt: string | null;
    acknowledgedBy: string | null;
    resolvedAt: string | null;
  };
  links: { dashboard: string | null; acknowledge: string | null };
}

/** The webhook document for a notification. */
export function webhookPayload(n: AlertNotification, deliveryId: string): WebhookPayload {
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    event: n.event,
    deliveryId,
    alert: {
      id: n.alertId,
      rule: n.ruleName,
      severity: n.severity,
      subject: { kind: n.subject.kind, name: n.subject.name },
      client: n.clientName,
      site: n.siteName ?? null,
      summary: n.summary,
      dedupKey: n.dedupKey,
      startedAt: isoTime(n.startedAt),
      acknowledgedAt: n.acknowledgedAt === undefined ? null : isoTime(n.acknowledgedAt),
      acknowledgedBy: n.acknowledgedBy ?? null,
      resolvedAt: n.resolvedAt === undefined ? null : isoTime(n.resolvedAt),
    },
    links: { dashboard: dashboardLink(n) ?? null, acknowledge: ackLink(n) ?? null },
  };
}

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the value of X-Vigil-Signature. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex")}`;
}

/**
 * A request builder for one delivery: the body is fixed once (so retries are byte-identical and
 * deduplicable by X-Vigil-Delivery), while timestamp and signature are fresh per attempt so a
 * receiver's replay window does not reject a retry that waited out a Retry-After.
 */
export function webhookRequest(config: WebhookChannel, n: AlertNotification, deliveryId: string): (attemptAt: number) => HttpRequest {
  const body = JSON.stringify(webhookPayload(n, deliveryId));
  return (attemptAt) => {
    const timestamp = Math.floor(attemptAt / 1000);
    const headers: Record<string, string> = {
      ...config.headers,
      "Content-Type": "application/json",
      "User-Agent": USER_AGENT,
      "X-Vigil-Event": n.event,
      "X-Vigil-Delivery": deliveryId,
      "X-Vigil-Timestamp": String(timestamp),
    };
    if (config.secret) headers["X-Vigil-Signature"] = webhookSignature(config.secret, timestamp, body);
    return { url: config.url, headers, body };
  };
}
