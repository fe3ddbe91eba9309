import { afterEach, describe, expect, it } from "vitest";
import { parseChannelConfig } from "./config.js";
import { deliver } from "./deliver.js";
import { escapeSlack, slackMessage } from "./slack.js";
import { reply, sampleNotification, startReceiver, type Receiver } from "./testing.js";

let receiver: Receiver | undefined;
afterEach(() => receiver?.close());

type Block = { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: Record<string, unknown>[] };

describe("slack channel", () => {
  it("posts text and blocks with an Acknowledge button to the incoming webhook", async () => {
    receiver = await startReceiver((_r, res) => reply(res, 200, "ok", { "Content-Type": "text/plain" }));
    const channel = parseChannelConfig({ type: "slack", webhookUrl: `${receiver.origin}/services/T0001/B0001/abcdefghijkl` });
    const n = sampleNotification();
    const result = await deliver(channel, n);
    expect(result.ok).toBe(true);

    const req = receiver.requests[0]!;
    expect(req.path).toBe("/services/T0001/B0001/abcdefghijkl");
    expect(req.headers["content-type"]).toBe("application/json");
    const body = req.json() as { text: string; blocks: Block[] };
    expect(body.text).toBe(
      "🔴 [FIRING] Host down: db-01 (Zahnarztpraxis Müller &amp; Söhne / Main office) — No samples from db-01 for 45 s; the site's other hosts are up. &lt;script&gt;alert(1)&lt;/script&gt;",
    );
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context", "actions"]);
    expect(body.blocks[0]!.text).toEqual({ type: "plain_text", text: "🔴 [FIRING] Host down: db-01", emoji: true });
    expect(body.blocks[1]!.text!.text).toContain("&lt;script&gt;");
    expect(body.blocks[2]!.fields!.map((f) => f.text)).toEqual([
      "*Severity*\ncritical",
      "*Host*\ndb-01",
      "*Client*\nZahnarztpraxis Müller &amp; Söhne",
      "*Site*\nMain office",
      "*Rule*\nHost down",
      "*Started*\n2026-03-02 08:15:00 UTC",
    ]);
    expect(body.blocks[4]!.elements).toEqual([
      { type: "button", action_id: "vigil_ack", style: "primary", text: { type: "plain_text", text: "Acknowledge" }, url: n.ackUrl },
      { type: "button", action_id: "vigil_open", text: { type: "plain_text", text: "Open in Vigil" }, url: n.dashboardUrl },
    ]);
  });

  it("drops the Acknowledge button once acknowledged and says by whom", () => {
    const msg = slackMessage(sampleNotification({ event: "acknowledged", acknowledgedAt: Date.parse("2026-03-02T08:20:00Z"), acknowledgedBy: "Dana <dana@msp.example>" }));
    const actions = msg.blocks.find((b) => b.type === "actions") as { elements: { action_id: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual(["vigil_open"]);
    expect(JSON.stringify(msg.blocks)).toContain("Acknowledged by Dana &lt;dana@msp.example&gt; at 2026-03-02 08:20:00 UTC.");
  });

  it("never puts a non-http link in a button", () => {
    const msg = slackMessage(sampleNotification({ ackUrl: "javascript:alert(1)", dashboardUrl: "data:text/html,x" }));
    expect(msg.blocks.find((b) => b.type === "actions")).toBeUndefined();
  });

  it("escapes mrkdwn control characters so names cannot mention or link", () => {
    expect(escapeSlack("<!channel> & <https://evil|click>")).toBe("&lt;!channel&gt; &amp; &lt;https://evil|click&gt;");
  });

  it("treats Slack's 404 channel_not_found as permanent", async () => {
    receiver = await startReceiver((_r, res) => reply(res, 404, "channel_not_found"));
    const result = await deliver(parseChannelConfig({ type: "slack", webhookUrl: `${receiver.origin}/services/T/B/secretpath1234` }), sampleNotification(), { backoffBaseMs: 1 });
    expect(result.ok).toBe(false);
    expect(result.attempts).toHaveLength(1);
    expect(result.error).toMatchObject({ code: "http_status", retryable: false, status: 404 });
    expect(result.error!.message).toContain("channel_not_found");
    expect(result.error!.message).not.toContain("secretpath1234");
  });
});
