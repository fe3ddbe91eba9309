/**
 * PagerDuty Events API v2. One PagerDuty incident per Vigil alert: every event of the alert carries the
 * same dedup_key, so `trigger` opens it (a repeat only adds to its log), `acknowledge` and `resolve` close it.
 */
import { createHash } from "node:crypto";
import { PAGERDUTY_EVENTS_URL, type PagerDutyChannel } from "./config.js";
import { ackLink, dashboardLink, isoTime, location, oneLine, truncate } from "./format.js";
import { USER_AGENT, type HttpRequest } from "./http-request.js";
import type { AlertEvent, AlertNotification, AlertSeverity } from "./notification.js";

export type PagerDutyAction = "trigger" | "acknowledge" | "resolve";

/** An Events API v2 event; `payload`, `links` and `client` only on trigger, where PagerDuty reads them. */
export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyAction;
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: AlertSeverity;
    timestamp: string;
    component: string;
    group?: string;
    class: string;
    custom_details: Record<string, string | null>;
  };
  links?: { href: string; text: string }[];
  client?: string;
  client_url?: string;
}

const ACTIONS: Record<AlertEvent, PagerDutyAction> = {
  firing: "trigger",
  repeat: "trigger",
  test: "trigger",
  acknowledged: "acknowledge",
  resolved: "resolve",
};

/** PagerDuty caps dedup_key at 255 characters; longer keys are hashed so they stay stable and unique. */
export function pagerDutyDedupKey(dedupKey: string): string {
  return dedupKey.length <= 255 ? dedupKey : `sha256:${createHash("sha256").update(dedupKey).digest("hex")}`;
}

/** The Events API v2 event for a notification. */
export function pagerDutyEvent(config: PagerDutyChannel, n: AlertNotification): PagerDutyEvent {
  const action = ACTIONS[n.event];
  const event: PagerDutyEvent = { routing_key: config.routingKey, event_action: action, dedup_key: pagerDutyDedupKey(n.dedupKey) };
  if (action !== "trigger") return event;

  const where = location(n);
  const summary = oneLine(`${n.event === "test" ? "[TEST] " : ""}${n.ruleName}: ${n.subject.name}${where ? ` (${where})` : ""} — ${n.summary}`);
  event.payload = {
    summary: truncate(summary, 1024),
    source: truncate(oneLine(n.subject.name), 255),
    severity: n.severity,
    timestamp: isoTime(n.startedAt),
    component: n.subject.kind,
    class: truncate(oneLine(n.ruleName), 255),
    custom_details: {
      summary: n.summary,
      rule: n.ruleName,
      subject_kind: n.subject.kind,
      subject: n.subject.name,
      client: n.clientName,
      site: n.siteName ?? null,
      alert_id: n.alertId,
      started_at: isoTime(n.startedAt),
      event: n.event,
    },
  };
  if (where) event.payload.group = truncate(where, 255);
  const links: { href: string; text: string }[] = [];
  const dashboard = dashboardLink(n);
  if (dashboard) links.push({ href: dashboard, text: "Open in Vigil" });
  const ack = ackLink(n);
  if (ack) links.push({ href: ack, text: "Acknowledge in Vigil" });
  if (links.length) event.links = links;
  event.client = "Vigil";
  if (dashboard) event.client_url = dashboard;
  return event;
}

/** The HTTP request for PagerDuty's Events API (or the configured compatible endpoint). */
export function pagerDutyRequest(config: PagerDutyChannel, n: AlertNotification): HttpRequest {
  return {
    url: config.url ?? PAGERDUTY_EVENTS_URL,
    headers: { "Content-Type": "application/json", "User-Agent": USER_AGENT },
    body: JSON.stringify(pagerDutyEvent(config, n)),
  };
}
