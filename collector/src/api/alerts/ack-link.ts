import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AckTokenError, verifyAckToken } from "../../alerts/channels/index.js";
import { acknowledge, type Alert } from "../../alerts/state.js";
import { ackLinkKey } from "../../store/queries/alert-config.js";
import { findAlert, saveAlert } from "../../store/queries/alerts.js";
import type { ApiEnv } from "../router.js";

// The links in notifications: the signed token is the credential (on-call taps it on a phone, logged in
// nowhere). A GET only shows a confirmation page, because mail scanners and Slack/Teams link previews
// fetch links by themselves; the page's button POSTs, and only that acknowledges.

const Query = z.object({ token: z.string().max(1024).openapi({ param: { name: "token", in: "query" }, description: "The signed token from the notification" }) });

const html = { "text/html": { schema: z.string() } };
const responses = {
  200: { description: "An HTML page", content: html },
  400: { description: "The link is not valid (HTML page)", content: html },
  404: { description: "The alert no longer exists (HTML page)", content: html },
  410: { description: "The link has expired (HTML page)", content: html },
};

const show = createRoute({
  method: "get",
  path: "/ack",
  tags: ["alerts"],
  summary: "Acknowledge link from a notification: a confirmation page (acknowledges nothing)",
  request: { query: Query },
  responses,
});

const confirm = createRoute({
  method: "post",
  path: "/ack",
  tags: ["alerts"],
  summary: "Acknowledge through a notification's link (the confirmation page's button)",
  request: { query: Query },
  responses,
});

/** Who an acknowledgement through a link is recorded as. */
export const ACK_LINK_ACTOR = "ack link";

export function registerAckLink(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(show, async (c) => {
    const found = await alertOfToken(c, c.req.valid("query").token);
    if (found instanceof Response) return found;
    const a = found;
    if (a.state !== "firing") return page(c, 200, "Nothing to do", `${describe(a)}<p>${a.state === "resolved" ? "This alert is already resolved." : `Already acknowledged by ${esc(a.acknowledgedBy)}.`}</p>`);
    const action = `ack?token=${encodeURIComponent(c.req.valid("query").token)}`;
    return page(c, 200, "Acknowledge this alert?", `${describe(a)}<form method="post" action="${esc(action)}"><button type="submit">Acknowledge</button></form>`);
  });

  api.openapi(confirm, async (c) => {
    const found = await alertOfToken(c, c.req.valid("query").token);
    if (found instanceof Response) return found;
    if (found.state === "resolved") return page(c, 200, "Already resolved", `${describe(found)}<p>This alert was resolved; nothing to acknowledge.</p>`);
    const done = acknowledge(found, ACK_LINK_ACTOR, Date.now());
    if (done !== found) {
      await saveAlert(c.var.deps.store, done);
      c.var.deps.logger.info({ alertId: done.id, by: ACK_LINK_ACTOR }, "alert acknowledged");
    }
    return page(c, 200, "Acknowledged", `${describe(done)}<p>Acknowledged ${esc(new Date(done.acknowledgedAt!).toISOString())} by ${esc(done.acknowledgedBy)}. Escalation and reminders have stopped.</p>`);
  });
}

async function alertOfToken(c: Context<ApiEnv>, token: string): Promise<Alert | Response> {
  const { store } = c.var.deps;
  let alertId: string;
  try {
    alertId = verifyAckToken(token, await ackLinkKey(store)).alertId;
  } catch (err) {
    if (!(err instanceof AckTokenError)) throw err;
    if (err.reason === "expired") return page(c, 410, "Link expired", "<p>This acknowledgement link has expired. Acknowledge the alert in Vigil instead.</p>");
    return page(c, 400, "Link not valid", "<p>This acknowledgement link is not valid.</p>");
  }
  const alert = await findAlert(store, alertId);
  return alert ?? page(c, 404, "Alert not found", "<p>This alert no longer exists.</p>");
}

function describe(a: Alert): string {
  return `<p><strong>${esc(a.severity.toUpperCase())}</strong> ${esc(a.subjectName)}</p><p>${esc(a.summary)}</p>`;
}

function page(c: Context<ApiEnv>, status: 200 | 400 | 404 | 410, title: string, body: string): Response {
  // The token is in the URL: no referrer, no caching, no framing, nothing loaded from elsewhere.
  return c.body(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Vigil: ${esc(title)}</title>` +
      `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}button{font-size:1.2rem;padding:.6rem 1.4rem}</style></head>` +
      `<body><h1>${esc(title)}</h1>${body}</body></html>`,
    status,
    {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Frame-Options": "DENY",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    },
  );
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}
