/**
 * E-mail: a subject that sorts and filters well, a plain-text part for pagers and terminals, and an
 * HTML part with the same content. Sent through an SMTP transport the caller configures (nodemailer).
 */
import { createHash } from "node:crypto";
import type { SendMailOptions } from "nodemailer";
import type { EmailChannel } from "./config.js";
import { ackLink, dashboardLink, EVENT_LABELS, facts, headline, location, oneLine, statusLine, truncate } from "./format.js";
import type { AlertNotification } from "./notification.js";

/** The part of a nodemailer transporter that delivery uses; any transporter created by `createTransport` fits. */
export interface MailTransport {
  sendMail(mail: SendMailOptions): Promise<unknown>;
}

/** Subject, bodies and headers of an alert e-mail; sender and recipients are added at delivery. */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Every mail about one alert refers to the same root id, so mail clients thread them together. */
  references: string;
  inReplyTo: string;
  priority: "high" | "normal" | "low";
}

/** `&`, `<`, `>`, `"` and `'` as entities, for text and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The synthetic Message-ID every mail about an alert refers to; no mail carries it itself, so none is ever a duplicate. */
export function threadId(n: AlertNotification): string {
  const dashboard = dashboardLink(n);
  const domain = dashboard ? new URL(dashboard).hostname || "vigil.invalid" : "vigil.invalid";
  return `<alert-${createHash("sha256").update(n.dedupKey).digest("hex").slice(0, 32)}@${domain}>`;
}

/** `[FIRING][critical] Host down: db-01 (Acme Dental / Main office)`. */
export function emailSubject(n: AlertNotification): string {
  const where = location(n);
  return truncate(oneLine(`[${EVENT_LABELS[n.event]}][${n.severity}] ${headline(n).replace(/^\[[^\]]*\] /, "")}${where ? ` (${where})` : ""}`), 250);
}

/** The e-mail for a notification. */
export function emailMessage(n: AlertNotification): EmailMessage {
  const ack = ackLink(n);
  const dashboard = dashboardLink(n);
  const status = statusLine(n);
  const rows = facts(n);

  const text = [
    headline(n),
    "",
    n.summary,
    "",
    ...rows.map(([label, value]) => `${`${label}:`.padEnd(14)}${value}`),
    ...(status ? ["", status] : []),
    "",
    ...(ack ? [`Acknowledge: ${ack}`] : []),
    ...(dashboard ? [`Open in Vigil: ${dashboard}`] : []),
    "",
    `Alert ${n.alertId}`,
    "",
  ].join("\n");

  const button = (href: string, label: string, color: string) =>
    `<a href="${escapeHtml(href)}" style="display:inline-block;padding:10px 18px;margin-right:8px;border-radius:4px;background:${color};color:#ffffff;text-decoration:none;font-weight:bold">${escapeHtml(label)}</a>`;
  const accent = n.event === "resolved" ? "#2e7d32" : n.event === "acknowledged" || n.event === "test" ? "#546e7a" : { critical: "#c62828", warning: "#ef6c00", info: "#1565c0" }[n.severity];
  const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHtml(headline(n))}</title></head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#212121;margin:0;padding:16px">
<div style="border-left:6px solid ${accent};padding:4px 16px;max-width:640px">
<h2 style="margin:8px 0">${escapeHtml(headline(n))}</h2>
<p style="font-size:15px">${escapeHtml(n.summary)}</p>
<table style="border-collapse:collapse;font-size:14px">
${rows.map(([label, value]) => `<tr><th style="text-align:left;padding:2px 16px 2px 0;color:#616161">${escapeHtml(label)}</th><td style="padding:2px 0">${escapeHtml(value)}</td></tr>`).join("\n")}
</table>
${status ? `<p style="color:#616161">${escapeHtml(status)}</p>` : ""}
<p style="margin:20px 0">${ack ? button(ack, "Acknowledge", "#c62828") : ""}${dashboard ? button(dashboard, "Open in Vigil", "#424242") : ""}</p>
<p style="font-size:12px;color:#9e9e9e">Alert ${escapeHtml(n.alertId)}</p>
</div>
</body></html>
`;

  const root = threadId(n);
  return {
    subject: emailSubject(n),
    text,
    html,
    headers: {
      "X-Vigil-Alert-Id": oneLine(n.alertId),
      "X-Vigil-Event": n.event,
      "X-Vigil-Severity": n.severity,
      // Out-of-office replies to an alert mail help nobody.
      "Auto-Submitted": "auto-generated",
    },
    references: root,
    inReplyTo: root,
    priority: n.severity === "critical" && (n.event === "firing" || n.event === "repeat") ? "high" : "normal",
  };
}

/** nodemailer options for one alert e-mail to the channel's recipients. */
export function emailMailOptions(config: EmailChannel, n: AlertNotification, from: string): SendMailOptions {
  const message = emailMessage(n);
  return { from, to: config.to, ...message };
}
