import { afterEach, describe, expect, it } from "vitest";
import { parseChannelConfig } from "./config.js";
import { deliver } from "./deliver.js";
import { pagerDutyDedupKey, pagerDutyEvent, type PagerDutyEvent } from "./pagerduty.js";
import { reply, sampleNotification, startReceiver, STARTED_AT, type Receiver } from "./testing.js";

let receiver: Receiver | undefined;
afterEach(() => receiver?.close());

const ROUTING_KEY = "R0123456789abcdef0123456789abcde";

describe("pagerduty channel", () => {
  it("triggers, acknowledges and resolves one incident with the same dedup_key", async () => {
    receiver = await startReceiver((req, res) => {
      const event = req.json() as PagerDutyEvent;
      reply(res, 202, JSON.stringify({ status: "success", message: "Event processed", dedup_key: event.dedup_key }), { "Content-Type": "application/json" });
    });
    const channel = parseChannelConfig({ type: "pagerduty", routingKey: ROUTING_KEY, url: `${receiver.origin}/v2/enqueue` });
    const firing = sampleNotification();
    const acked = sampleNotification({ event: "acknowledged", acknowledgedAt: STARTED_AT + 60_000, acknowledgedBy: "Dana" });
    const resolved = sampleNotification({ event: "resolved", acknowledgedAt: STARTED_AT + 60_000, resolvedAt: STARTED_AT + 600_000 });
    for (const n of [firing, acked, resolved]) expect((await deliver(channel, n)).ok).toBe(true);

    const events = receiver.requests.map((r) => {
      expect(r.path).toBe("/v2/enqueue");
      expect(r.headers["content-type"]).toBe("application/json");
      return r.json() as PagerDutyEvent;
    });
    expect(events.map((e) => e.event_action)).toEqual(["trigger", "acknowledge", "resolve"]);
    expect(new Set(events.map((e) => e.dedup_key))).toEqual(new Set([firing.dedupKey]));
    expect(events.every((e) => e.routing_key === ROUTING_KEY)).toBe(true);

    expect(events[0]).toEqual({
      routing_key: ROUTING_KEY,
      event_action: "trigger",
      dedup_key: firing.dedupKey,
      payload: {
        summary: `Host down: db-01 (Zahnarztpraxis Müller & Söhne / Main office) — ${firing.summary}`,
        source: "db-01",
        severity: "critical",
        timestamp: "2026-03-02T08:15:00.000Z",
        component: "host",
        group: "Zahnarztpraxis Müller & Söhne / Main office",
        class: "Host down",
        custom_details: {
          summary: firing.summary,
          rule: "Host down",
          subject_kind: "host",
          subject: "db-01",
          client: "Zahnarztpraxis Müller & Söhne",
          site: "Main office",
          alert_id: firing.alertId,
          started_at: "2026-03-02T08:15:00.000Z",
          event: "firing",
        },
      },
      links: [
        { href: firing.dashboardUrl, text: "Open in Vigil" },
        { href: firing.ackUrl, text: "Acknowledge in Vigil" },
      ],
      client: "Vigil",
      client_url: firing.dashboardUrl,
    });
    expect(events[1]).toEqual({ routing_key: ROUTING_KEY, event_action: "acknowledge", dedup_key: firing.dedupKey });
    expect(events[2]).toEqual({ routing_key: ROUTING_KEY, event_action: "resolve", dedup_key: firing.dedupKey });
  });

  it("maps severities one to one and hashes dedup keys longer than 255 characters", () => {
    for (const severity of ["critical", "warning", "info"] as const) {
      expect(pagerDutyEvent({ type: "pagerduty", routingKey: ROUTING_KEY }, sampleNotification({ severity })).payload!.severity).toBe(severity);
    }
    const long = "k".repeat(300);
    expect(pagerDutyDedupKey(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pagerDutyDedupKey(long)).toBe(pagerDutyDedupKey(long));
    expect(pagerDutyDedupKey("short")).toBe("short");
  });

  it("marks test events in the summary", () => {
    const event = pagerDutyEvent({ type: "pagerduty", routingKey: ROUTING_KEY }, sampleNotification({ event: "test", severity: "info" }));
    expect(event.event_action).toBe("trigger");
    expect(event.payload!.summary).toMatch(/^\[TEST\] Host down: db-01/);
  });

  it("keeps the routing key out of errors even when the receiver echoes it", async () => {
    receiver = await startReceiver((req, res) => reply(res, 400, JSON.stringify({ status: "invalid event", message: `bad key ${(req.json() as PagerDutyEvent).routing_key}` })));
    const channel = parseChannelConfig({ type: "pagerduty", routingKey: ROUTING_KEY, url: `${receiver.origin}/v2/enqueue` });
    const result = await deliver(channel, sampleNotification());
    expect(result.ok).toBe(false);
    expect(result.error!.message).toContain("refused the notification with 400");
    expect(result.error!.message).toContain("[redacted]");
    expect(JSON.stringify(result)).not.toContain(ROUTING_KEY);
  });
});
