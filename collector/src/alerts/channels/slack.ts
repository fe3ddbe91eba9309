/**
 * Slack incoming webhook: `text` (what notifications and old clients show) plus Block Kit blocks with
 * the facts and an Acknowledge button. The button only opens the signed ack link; no Slack app is needed.
 */
import type { SlackChannel } from "./config.js";
import { ackLink, dashboardLink, eventEmoji, facts, headline, location, statusLine, truncate } from "./format.js";
import { USER_AGENT, type HttpRequest } from "./http-request.js";
import type { AlertNotification } from "./notification.js";

/** A Block Kit block; typed loosely since Slack's own schema is the reference. */
export type SlackBlock = Record<string, unknown>;

/** The body posted to a Slack incoming webhook. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Slack's mrkdwn treats &, < and > as control characters (links, mentions); user text must not trigger them. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The Slack message for a notification, within Block Kit's size limits. */
export function slackMessage(n: AlertNotification): SlackMessage {
  const title = `${eventEmoji(n)} ${headline(n)}`;
  const status = statusLine(n);
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(title, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: truncate(escapeSlack(n.summary || headline(n)), 3000) } },
    {
      type: "section",
      fields: facts(n)
        .slice(0, 10)
        .map(([label, value]) => ({ type: "mrkdwn", text: truncate(`*${label}*\n${escapeSlack(value)}`, 2000) })),
    },
  ];
  const context = [status, `Alert ${n.alertId}`].filter(Boolean).map((t) => escapeSlack(t)).join(" · ");
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(context, 3000) }] });

  const buttons: SlackBlock[] = [];
  const ack = ackLink(n);
  if (ack && ack.length <= 3000) {
    buttons.push({ type: "button", action_id: "vigil_ack", style: "primary", text: { type: "plain_text", text: "Acknowledge" }, url: ack });
  }
  const dashboard = dashboardLink(n);
  if (dashboard && dashboard.length <= 3000) {
    buttons.push({ type: "button", action_id: "vigil_open", text: { type: "plain_text", text: "Open in Vigil" }, url: dashboard });
  }
  if (buttons.length) blocks.push({ type: "actions", elements: buttons });

  const where = location(n);
  return { text: truncate(escapeSlack(`${title}${where ? ` (${where})` : ""} — ${n.summary}`), 3000), blocks };
}

/** The HTTP request for a Slack incoming webhook. */
export function slackRequest(config: SlackChannel, n: AlertNotification): HttpRequest {
  return {
    url: config.webhookUrl,
    headers: { "Content-Type": "application/json", "User-Agent": USER_AGENT },
    body: JSON.stringify(slackMessage(n)),
  };
}
