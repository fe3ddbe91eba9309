import { afterEach, describe, expect, it } from "vitest";
import { parseChannelConfig } from "./config.js";
import { deliver } from "./deliver.js";
import { teamsMessage, type TeamsMessage } from "./teams.js";
import { reply, sampleNotification, startReceiver, STARTED_AT, type Receiver } from "./testing.js";

let receiver: Receiver | undefined;
afterEach(() => receiver?.close());

describe("teams channel", () => {
  it("posts a message with one Adaptive Card 1.4 attachment and an Acknowledge OpenUrl action", async () => {
    // Workflows accept with 202.
    receiver = await startReceiver((_r, res) => reply(res, 202));
    const url = `${receiver.origin}/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIGxyz`;
    const n = sampleNotification();
    const result = await deliver(parseChannelConfig({ type: "teams", webhookUrl: url }), n);
    expect(result.ok).toBe(true);
    expect(result.attempts[0]!.status).toBe(202);

    const req = receiver.requests[0]!;
    expect(req.path).toBe("/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIGxyz");
    const body = req.json() as TeamsMessage;
    expect(body.type).toBe("message");
    expect(body.attachments).toHaveLength(1);
    const attachment = body.attachments[0]!;
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment.contentUrl).toBeNull();
    const card = attachment.content;
    expect(card).toMatchObject({ $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4" });
    expect(card.body[0]).toMatchObject({ type: "TextBlock", text: "🔴 [FIRING] Host down: db-01", color: "Attention", weight: "Bolder", wrap: true });
    expect(card.body).toContainEqual({ type: "TextBlock", text: n.summary, wrap: true });
    const factSet = card.body.find((e) => e.type === "FactSet") as { facts: { title: string; value: string }[] };
    expect(factSet.facts).toContainEqual({ title: "Client", value: "Zahnarztpraxis Müller & Söhne" });
    expect(factSet.facts).toContainEqual({ title: "Started", value: "2026-03-02 08:15:00 UTC" });
    expect(card.actions).toEqual([
      { type: "Action.OpenUrl", title: "Acknowledge", url: n.ackUrl, style: "positive" },
      { type: "Action.OpenUrl", title: "Open in Vigil", url: n.dashboardUrl },
    ]);
  });

  it("shows a resolved alert in green with its duration and no Acknowledge action", () => {
    const card = teamsMessage(sampleNotification({ event: "resolved", resolvedAt: STARTED_AT + 3_900_000 })).attachments[0]!.content;
    expect(card.body[0]).toMatchObject({ text: "✅ [RESOLVED] Host down: db-01", color: "Good" });
    expect(card.body).toContainEqual(expect.objectContaining({ text: "Resolved after 1 h 5 min." }));
    expect(card.actions.map((a) => a.title)).toEqual(["Open in Vigil"]);
  });
});
