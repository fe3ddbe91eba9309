import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAckToken } from "../../alerts/channels/index.js";
import type { Alert } from "../../alerts/state.js";
import { ackLinkKey } from "../../store/queries/alert-config.js";
import { findAlert, logDeliveries, saveAlert } from "../../store/queries/alerts.js";
import { callAs, createTestApi, type Json, type TestApi } from "../testing.js";

describe("/api/v1/alerts", () => {
  let t: TestApi;
  const now = Date.now();
  const alert = (id: string, overrides: Partial<Alert> = {}): Alert => ({
    id,
    clientId: "c1",
    siteId: "s1",
    hostId: "h1",
    ruleId: "builtin-host-down",
    ruleKind: "host_down",
    subjectKey: `host:${id}`,
    subjectKind: "host",
    subjectName: "db-01",
    severity: "critical",
    state: "firing",
    startedAt: now - 60_000,
    createdAt: now - 50_000,
    acknowledgedAt: null,
    acknowledgedBy: "",
    resolvedAt: null,
    resolvedBy: "",
    lastNotifiedAt: now - 50_000,
    escalationStep: 0,
    suppressedBy: "",
    summary: "db-01 lost its connection <b>without</b> a goodbye",
    updatedAt: now - 50_000,
    ...overrides,
  });
  beforeAll(async () => {
    t = await createTestApi();
    await saveAlert(t.store, alert("a1"));
    await saveAlert(t.store, alert("a2", { clientId: "c2", severity: "warning", ruleKind: "check_failing", subjectKind: "check", createdAt: now - 40_000 }));
    await saveAlert(t.store, alert("a3", { state: "resolved", resolvedAt: now - 1000, resolvedBy: "vigil", createdAt: now - 30_000 }));
    await logDeliveries(t.store, [
      { at: now - 50_000, clientId: "c1", alertId: "a1", channelId: "ch1", channelType: "webhook", event: "firing", deliveryId: "d1", ok: true, attempts: [{ at: now - 50_000, durationMs: 3, status: 500, error: "HTTP 500", code: "http_status" }, { at: now - 49_000, durationMs: 2, status: 200 }], error: "" },
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists and filters alerts, newest first", async () => {
    const all = await t.call("GET", "/api/v1/alerts");
    expect(all.status).toBe(200);
    expect(all.body.items.map((a: { id: string }) => a.id)).toEqual(["a3", "a2", "a1"]);
    expect(all.body.items[2]).toMatchObject({ id: "a1", hostId: "h1", rule: "host_down", subject: { kind: "host", key: "host:a1", name: "db-01" }, state: "firing", acknowledgedAt: null, suppressedBy: null });
    const open = await t.call("GET", "/api/v1/alerts?state=open&clientId=c1");
    expect(open.body.items.map((a: { id: string }) => a.id)).toEqual(["a1"]);
    const warn = await t.call("GET", "/api/v1/alerts?severity=warning&rule=check_failing");
    expect(warn.body.items.map((a: { id: string }) => a.id)).toEqual(["a2"]);
    const bad = await t.call("GET", "/api/v1/alerts?state=sleeping");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("state: must be open, firing, acknowledged or resolved");
  });

  it("shows one alert with its delivery log, every attempt included", async () => {
    const res = await t.call("GET", "/api/v1/alerts/a1");
    expect(res.status).toBe(200);
    expect(res.body.deliveries).toEqual([
      expect.objectContaining({ channelId: "ch1", event: "firing", ok: true, attempts: [expect.objectContaining({ status: 500, error: "HTTP 500" }), expect.objectContaining({ status: 200 })] }),
    ]);
    expect((await t.call("GET", "/api/v1/alerts/nosuch")).status).toBe(404);
  });

  it("lets a viewer see its own client's alerts only", async () => {
    const mine = await callAs(t.app, { role: "viewer", subject: "v", clientId: "c2" }, "GET", "/api/v1/alerts");
    expect((mine.body as Json).items.map((a: { id: string }) => a.id)).toEqual(["a2"]);
    expect((await callAs(t.app, { role: "viewer", subject: "v", clientId: "c2" }, "GET", "/api/v1/alerts/a1")).status).toBe(404);
    expect((await callAs(t.app, { role: "viewer", subject: "v", clientId: "c2" }, "POST", "/api/v1/alerts/a2/ack")).status).toBe(403);
  });

  it("acknowledges (idempotently), refuses to acknowledge a resolved alert, and resolves by hand", async () => {
    await saveAlert(t.store, alert("b1"));
    const ack = await t.call("POST", "/api/v1/alerts/b1/ack");
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ state: "acknowledged", acknowledgedBy: "admin-token" });
    const again = await t.call("POST", "/api/v1/alerts/b1/ack");
    expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
    const resolved = await t.call("POST", "/api/v1/alerts/b1/resolve");
    expect(resolved.body).toMatchObject({ state: "resolved", resolvedBy: "admin-token", acknowledgedBy: "admin-token" });
    expect((await findAlert(t.store, "b1"))?.state).toBe("resolved");
    const late = await t.call("POST", "/api/v1/alerts/b1/ack");
    expect(late.status).toBe(409);
  });

  it("silences an alert's subject for a while", async () => {
    const res = await t.call("POST", "/api/v1/alerts/a1/silence", { body: { minutes: 30, reason: "replacing the PSU" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ clientId: "c1", scope: { level: "host", id: "h1" }, matcher: { ruleKind: "host_down", subjectKey: "host:a1" }, reason: "replacing the PSU" });
    expect(Date.parse(res.body.endsAt) - Date.parse(res.body.startsAt)).toBe(30 * 60_000);
    const bad = await t.call("POST", "/api/v1/alerts/a1/silence", { body: { minutes: 30 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("reason: required");
  });

  describe("ack links", () => {
    let key: string;
    beforeAll(async () => {
      key = await ackLinkKey(t.store);
      await saveAlert(t.store, alert("l1"));
    });

    it("shows a confirmation page on GET without acknowledging, and acknowledges on POST", async () => {
      const token = signAckToken({ alertId: "l1", expiresAt: Date.now() + 60_000 }, key);
      const page = await t.call("GET", `/api/v1/alerts/ack?token=${token}`, { token: null });
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(page.headers.get("referrer-policy")).toBe("no-referrer");
      expect(page.body).toContain('<form method="post"');
      expect(page.body).toContain("&lt;b&gt;without&lt;/b&gt;");
      expect((await findAlert(t.store, "l1"))?.state).toBe("firing");

      const done = await t.call("POST", `/api/v1/alerts/ack?token=${token}`, { token: null, headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" });
      expect(done.status).toBe(200);
      expect(done.body).toContain("Acknowledged");
      expect(await findAlert(t.store, "l1")).toMatchObject({ state: "acknowledged", acknowledgedBy: "ack link" });
      const again = await t.call("GET", `/api/v1/alerts/ack?token=${token}`, { token: null });
      expect(again.body).toContain("Already acknowledged by ack link");
    });

    it("refuses forged, malformed and expired links with a page that says so", async () => {
      const forged = signAckToken({ alertId: "l1", expiresAt: Date.now() + 60_000 }, "z".repeat(40));
      const expired = signAckToken({ alertId: "l1", expiresAt: Date.now() - 1000 }, key);
      expect((await t.call("POST", `/api/v1/alerts/ack?token=${forged}`, { token: null })).status).toBe(400);
      expect((await t.call("GET", "/api/v1/alerts/ack?token=nonsense", { token: null })).status).toBe(400);
      const old = await t.call("POST", `/api/v1/alerts/ack?token=${expired}`, { token: null });
      expect(old.status).toBe(410);
      expect(old.body).toContain("expired");
      const gone = signAckToken({ alertId: "nosuch", expiresAt: Date.now() + 60_000 }, key);
      expect((await t.call("GET", `/api/v1/alerts/ack?token=${gone}`, { token: null })).status).toBe(404);
    });
  });

  it("documents every alerting route in the OpenAPI document", async () => {
    const doc = (await t.call("GET", "/api/v1/openapi.json", { token: null })).body;
    for (const path of ["/api/v1/alerts", "/api/v1/alerts/{id}", "/api/v1/alerts/{id}/ack", "/api/v1/alerts/ack", "/api/v1/channels", "/api/v1/channels/{id}/test", "/api/v1/alert-rules", "/api/v1/alert-routes", "/api/v1/silences"]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
