import { afterEach, describe, expect, it } from "vitest";
import { parseChannelConfig, type NtfyChannel } from "./config.js";
import { deliver } from "./deliver.js";
import { ntfyEndpoint, ntfyMessage } from "./ntfy.js";
import { reply, sampleNotification, startReceiver, STARTED_AT, type Receiver } from "./testing.js";

let receiver: Receiver | undefined;
afterEach(() => receiver?.close());

describe("ntfy channel", () => {
  it("publishes JSON to the server root with topic, title, priority, tags, click and an Acknowledge action", async () => {
    receiver = await startReceiver((req, res) => reply(res, 200, JSON.stringify({ id: "abc", topic: (req.json() as { topic: string }).topic })));
    const channel = parseChannelConfig({ type: "ntfy", url: `${receiver.origin}/acme-oncall`, token: "tk_0123456789abcdef" });
    const n = sampleNotification();
    const result = await deliver(channel, n);
    expect(result.ok).toBe(true);

    const req = receiver.requests[0]!;
    expect(req.path).toBe("/");
    expect(req.headers.authorization).toBe("Bearer tk_0123456789abcdef");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.json()).toEqual({
      topic: "acme-oncall",
      title: "[FIRING] Host down: db-01",
      message: `${n.summary}\nZahnarztpraxis Müller & Söhne / Main office`,
      priority: 5,
      tags: ["rotating_light", "critical", "firing"],
      click: n.dashboardUrl,
      actions: [{ action: "view", label: "Acknowledge", url: n.ackUrl, clear: true }],
    });
  });

  it("keeps a path prefix in front of the topic", () => {
    expect(ntfyEndpoint("https://push.example.com/ntfy/acme?x=1")).toEqual({ publishUrl: "https://push.example.com/ntfy/", topic: "acme" });
  });

  it("follows severity unless the channel fixes a priority, and never wakes anyone for ack or resolve", () => {
    const plain: NtfyChannel = { type: "ntfy", url: "https://ntfy.sh/t" };
    const fixed: NtfyChannel = { ...plain, priority: 4 };
    expect(ntfyMessage(plain, sampleNotification({ severity: "warning" })).priority).toBe(4);
    expect(ntfyMessage(plain, sampleNotification({ severity: "info" })).priority).toBe(3);
    expect(ntfyMessage(fixed, sampleNotification({ severity: "critical" })).priority).toBe(4);
    const resolved = ntfyMessage(fixed, sampleNotification({ event: "resolved", resolvedAt: STARTED_AT + 45_000 }));
    expect(resolved).toMatchObject({ priority: 2, tags: ["white_check_mark", "critical", "resolved"], title: "[RESOLVED] Host down: db-01" });
    expect(resolved.message).toContain("Resolved after 45 s.");
    expect(resolved.actions).toBeUndefined();
  });
});
