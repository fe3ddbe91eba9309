/**
 * ntfy, using its JSON publishing form: POST to the server's root with the topic in the body. Chosen
 * over the header form because titles carry client and host names, which need not be ASCII, and HTTP
 * headers cannot carry UTF-8 without RFC 2047 encoding. The configured URL is server + topic.
 */
import type { NtfyChannel } from "./config.js";
import { ackLink, dashboardLink, headline, location, statusLine, truncate } from "./format.js";
import { USER_AGENT, type HttpRequest } from "./http-request.js";
import type { AlertNotification, AlertSeverity } from "./notification.js";

/** An ntfy JSON publish message. */
export interface NtfyMessage {
  topic: string;
  title: string;
  message: string;
  /** 1 min, 2 low, 3 default, 4 high, 5 max/urgent. */
  priority: 1 | 2 | 3 | 4 | 5;
  /** Emoji short codes become icons in the app; other tags are shown as text. */
  tags: string[];
  click?: string;
  actions?: { action: "view"; label: string; url: string; clear: boolean }[];
}

const SEVERITY_PRIORITY: Record<AlertSeverity, NtfyMessage["priority"]> = { critical: 5, warning: 4, info: 3 };
const SEVERITY_TAG: Record<AlertSeverity, string> = { critical: "rotating_light", warning: "warning", info: "information_source" };

/** Splits `https://host/prefix/topic` into the publish URL (`https://host/prefix/`) and the topic. */
export function ntfyEndpoint(url: string): { publishUrl: string; topic: string } {
  const parsed = new URL(url);
  const segments = parsed.pathname.split("/");
  const topic = segments.pop() ?? "";
  parsed.pathname = `${segments.join("/")}/`;
  parsed.search = "";
  parsed.hash = "";
  return { publishUrl: parsed.toString(), topic };
}

/**
 * Priority of a notification. Alerts follow the severity unless the channel fixes one; acknowledgements
 * and resolutions are low, so they arrive without waking anyone a second time.
 */
export function ntfyPriority(config: NtfyChannel, n: AlertNotification): NtfyMessage["priority"] {
  if (n.event === "acknowledged" || n.event === "resolved") return 2;
  const fixed = config.priority as NtfyMessage["priority"] | undefined;
  if (n.event === "test") return fixed ?? 3;
  return fixed ?? SEVERITY_PRIORITY[n.severity];
}

/** The ntfy JSON message for a notification. */
export function ntfyMessage(config: NtfyChannel, n: AlertNotification): NtfyMessage {
  const eventTag = n.event === "resolved" ? "white_check_mark" : n.event === "acknowledged" ? "eyes" : n.event === "test" ? "test_tube" : SEVERITY_TAG[n.severity];
  const lines = [n.summary, location(n), statusLine(n)].filter(Boolean);
  const message: NtfyMessage = {
    topic: ntfyEndpoint(config.url).topic,
    title: truncate(headline(n), 250),
    // ntfy turns messages over 4096 bytes into attachments; 1000 characters fit even at 4 bytes each.
    message: truncate(lines.join("\n"), 1000),
    priority: ntfyPriority(config, n),
    tags: [eventTag, n.severity, n.event],
  };
  const dashboard = dashboardLink(n);
  if (dashboard) message.click = dashboard;
  const ack = ackLink(n);
  if (ack) message.actions = [{ action: "view", label: "Acknowledge", url: ack, clear: true }];
  return message;
}

/** The HTTP request for an ntfy server. */
export function ntfyRequest(config: NtfyChannel, n: AlertNotification): HttpRequest {
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": USER_AGENT };
  if (config.token) headers.Authorization = `Bearer ${config.token}`;
  return { url: ntfyEndpoint(config.url).publishUrl, headers, body: JSON.stringify(ntfyMessage(config, n)) };
}
