/** Wording shared by every channel, so Slack, Teams, e-mail and ntfy say the same thing the same way. */
import type { AlertEvent, AlertNotification, AlertSeverity } from "./notification.js";

export const EVENT_LABELS: Record<AlertEvent, string> = {
  firing: "FIRING",
  repeat: "STILL FIRING",
  acknowledged: "ACKNOWLEDGED",
  resolved: "RESOLVED",
  test: "TEST",
};

const SEVERITY_EMOJI: Record<AlertSeverity, string> = { critical: "🔴", warning: "🟠", info: "🔵" };

/** An emoji that tells the state at a glance in a notification list. */
export function eventEmoji(n: AlertNotification): string {
  if (n.event === "resolved") return "✅";
  if (n.event === "acknowledged") return "👀";
  if (n.event === "test") return "🧪";
  return SEVERITY_EMOJI[n.severity];
}

/** `[FIRING] Host down: db-01` — the line a phone shows first. */
export function headline(n: AlertNotification): string {
  return oneLine(`[${EVENT_LABELS[n.event]}] ${n.ruleName}: ${n.subject.name}`);
}

/** `Acme Dental / Main office`, or just the client for client-wide alerts. */
export function location(n: AlertNotification): string {
  return oneLine([n.clientName, n.siteName].filter((s): s is string => !!s).join(" / "));
}

/** The ack link, when it still makes sense to follow it: while the alert fires and nobody has acknowledged it. */
export function ackLink(n: AlertNotification): string | undefined {
  if (n.event !== "firing" && n.event !== "repeat" && n.event !== "test") return undefined;
  if (n.acknowledgedAt !== undefined) return undefined;
  return safeUrl(n.ackUrl);
}

/** The dashboard link, if it is an http(s) URL. */
export function dashboardLink(n: AlertNotification): string | undefined {
  return safeUrl(n.dashboardUrl);
}

/** Only http(s) links reach a button or an href: a `javascript:` URL in a notification would be an injection. */
export function safeUrl(value: string | undefined): string | undefined {
  if (!value || !URL.canParse(value)) return undefined;
  const protocol = new URL(value).protocol;
  return protocol === "https:" || protocol === "http:" ? value : undefined;
}

/** ISO 8601 in UTC, the machine form used in JSON payloads. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2026-01-05 10:00:00 UTC`, for people; channels that can localise (Slack) do so themselves. */
export function humanTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** One sentence about the lifecycle: who acknowledged, how long it lasted. Empty while simply firing. */
export function statusLine(n: AlertNotification): string {
  if (n.event === "resolved" && n.resolvedAt !== undefined) return `Resolved after ${formatDuration(n.resolvedAt - n.startedAt)}.`;
  if (n.event === "resolved") return "Resolved.";
  if (n.acknowledgedAt !== undefined) {
    return oneLine(`Acknowledged${n.acknowledgedBy ? ` by ${n.acknowledgedBy}` : ""} at ${humanTime(n.acknowledgedAt)}.`);
  }
  if (n.event === "repeat") return `Still firing since ${humanTime(n.startedAt)}, not acknowledged.`;
  if (n.event === "test") return "This is a test notification; no alert is firing.";
  return "";
}

/** Label and value pairs every rich channel shows (Slack fields, Teams facts, the e-mail table). */
export function facts(n: AlertNotification): [label: string, value: string][] {
  const out: [string, string][] = [
    ["Severity", n.severity],
    [capitalize(n.subject.kind), oneLine(n.subject.name)],
    ["Client", oneLine(n.clientName)],
  ];
  if (n.siteName) out.push(["Site", oneLine(n.siteName)]);
  out.push(["Rule", oneLine(n.ruleName)]);
  out.push(["Started", humanTime(n.startedAt)]);
  if (n.acknowledgedAt !== undefined) out.push(["Acknowledged", oneLine(`${humanTime(n.acknowledgedAt)}${n.acknowledgedBy ? ` by ${n.acknowledgedBy}` : ""}`)]);
  if (n.resolvedAt !== undefined) out.push(["Resolved", `${humanTime(n.resolvedAt)} (after ${formatDuration(n.resolvedAt - n.startedAt)})`]);
  return out;
}

/** Collapses line breaks and runs of blanks: subjects, headers and titles must stay on one line. */
export function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}]+/gu, " ").trim();
}

/** Cuts text to `max` characters (code units), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Avoid leaving half a surrogate pair at the cut.
  let cut = max - 1;
  if (/[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
