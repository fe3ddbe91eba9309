/**
 * Microsoft Teams through a Workflows (Power Automate) webhook, the replacement for the retired
 * Office 365 connectors: the "Post to a channel when a webhook request is received" template expects a
 * message whose attachments are Adaptive Cards. Card version 1.4 is what Teams renders everywhere.
 */
import type { TeamsChannel } from "./config.js";
import { ackLink, dashboardLink, eventEmoji, facts, headline, location, statusLine, truncate } from "./format.js";
import { USER_AGENT, type HttpRequest } from "./http-request.js";
import type { AlertNotification, AlertSeverity } from "./notification.js";

export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/** An Adaptive Card element; typed loosely since the Adaptive Cards schema is the reference. */
export type CardElement = Record<string, unknown>;

/** The body posted to a Teams workflow webhook. */
export interface TeamsMessage {
  type: "message";
  attachments: {
    contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
    contentUrl: null;
    content: {
      $schema: string;
      type: "AdaptiveCard";
      version: "1.4";
      msteams: { width: "Full" };
      body: CardElement[];
      actions: CardElement[];
    };
  }[];
}

const SEVERITY_COLOR: Record<AlertSeverity, string> = { critical: "Attention", warning: "Warning", info: "Accent" };

/** The Teams message (one Adaptive Card 1.4) for a notification. */
export function teamsMessage(n: AlertNotification): TeamsMessage {
  const color = n.event === "resolved" ? "Good" : n.event === "acknowledged" || n.event === "test" ? "Default" : SEVERITY_COLOR[n.severity];
  const body: CardElement[] = [
    { type: "TextBlock", text: truncate(`${eventEmoji(n)} ${headline(n)}`, 400), size: "Large", weight: "Bolder", color, wrap: true },
  ];
  const where = location(n);
  if (where) body.push({ type: "TextBlock", text: where, isSubtle: true, spacing: "None", wrap: true });
  body.push({ type: "TextBlock", text: truncate(n.summary, 4000), wrap: true });
  body.push({ type: "FactSet", facts: facts(n).map(([title, value]) => ({ title, value })) });
  const status = statusLine(n);
  if (status) body.push({ type: "TextBlock", text: status, isSubtle: true, wrap: true });

  const actions: CardElement[] = [];
  const ack = ackLink(n);
  if (ack) actions.push({ type: "Action.OpenUrl", title: "Acknowledge", url: ack, style: "positive" });
  const dashboard = dashboardLink(n);
  if (dashboard) actions.push({ type: "Action.OpenUrl", title: "Open in Vigil", url: dashboard });

  return {
    type: "message",
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          msteams: { width: "Full" },
          body,
          actions,
        },
      },
    ],
  };
}

/** The HTTP request for a Teams workflow webhook. */
export function teamsRequest(config: TeamsChannel, n: AlertNotification): HttpRequest {
  return {
    url: config.webhookUrl,
    headers: { "Content-Type": "application/json", "User-Agent": USER_AGENT },
    body: JSON.stringify(teamsMessage(n)),
  };
}
