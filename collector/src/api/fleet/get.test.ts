import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveAlert } from "../../store/queries/alerts.js";
import { callAs, createTestApi, type Json, type TestApi } from "../testing.js";
import { enrollHost, insertConnectionEvent, insertRun } from "./testing.js";

describe("GET /api/v1/fleet", () => {
  let t: TestApi;
  const ids: Record<string, string> = {};
  let a: { clientId: string; siteId: string };
  let b: { clientId: string; siteId: string };

  beforeAll(async () => {
    t = await createTestApi();
    a = await t.seedClientAndSite("Alpha");
    b = await t.seedClientAndSite("Bravo");
    for (const name of ["up-here", "up-remote", "moved", "crashed-collector", "down", "stopped", "never", "revoked", "maint"]) {
      ids[name] = await enrollHost(t, a.clientId, a.siteId, name);
    }
    ids.other = await enrollHost(t, b.clientId, b.siteId, "bravo-01");
    const now = Date.now();
    const ev = (name: string, collectorId: string, event: "connected" | "goodbye" | "disconnected", reason: string, ago: number) =>
      insertConnectionEvent(t.store, { agentId: ids[name]!, clientId: a.clientId, siteId: a.siteId, collectorId, event, reason, at: now - ago });
    await insertRun(t.store, "run-alive", true);
    await insertRun(t.store, "run-alive-2", true);
    await insertRun(t.store, "run-crashed", false);
    t.presence.connected.add(ids["up-here"]!);
    t.presence.seen.set(ids["up-here"]!, now - 1000);
    await ev("up-remote", "run-alive", "connected", "hello", 60_000);
    // Moved from one collector to another; the old one noticed the loss after the new one's connect.
    await ev("moved", "run-alive", "connected", "hello", 60_000);
    await ev("moved", "run-alive-2", "disconnected", "close:1006", 30_000);
    // Its collector died without writing the disconnect.
    await ev("crashed-collector", "run-crashed", "connected", "hello", 900_000);
    await ev("down", "run-alive", "connected", "hello", 120_000);
    await ev("down", "run-alive", "disconnected", "close:1006", 60_000);
    await ev("stopped", "run-alive", "goodbye", "service_stop", 61_000);
    await ev("stopped", "run-alive", "disconnected", "goodbye:service_stop", 60_000);
    expect((await t.call("POST", `/api/v1/hosts/${ids.revoked}/revoke`)).status).toBe(200);
    const win = await t.call("POST", "/api/v1/maintenance-windows", {
      body: { clientId: a.clientId, kind: "once", scope: { level: "host", id: ids.maint }, start: new Date(now - 600_000).toISOString(), end: new Date(now + 3600_000).toISOString(), reason: "disk swap" },
    });
    expect(win.status).toBe(201);
    await saveAlert(t.store, {
      id: "al-1", clientId: a.clientId, siteId: a.siteId, hostId: ids.down!, ruleId: "r", ruleKind: "host_down", subjectKey: `host:${ids.down}`, subjectKind: "host",
      subjectName: "down", severity: "critical", state: "firing", startedAt: now - 60_000, createdAt: now - 30_000, acknowledgedAt: null, acknowledgedBy: "",
      resolvedAt: null, resolvedBy: "", lastNotifiedAt: null, escalationStep: 0, suppressedBy: "", summary: "down", updatedAt: now,
    } as Parameters<typeof saveAlert>[1]);
  });
  afterAll(async () => {
    await t.close();
  });

  it("gives each host its status from the latest event per collector, refined by this collector's presence", async () => {
    const res = await t.call("GET", "/api/v1/fleet");
    expect(res.status).toBe(200);
    const alpha = res.body.clients.find((c: Json) => c.id === a.clientId);
    const hosts = Object.fromEntries(alpha.sites[0].hosts.map((h: Json) => [h.hostname, h]));
    expect(Object.fromEntries(Object.entries(hosts).map(([n, h]) => [n, (h as Json).status]))).toEqual({
      "up-here": "up",
      "up-remote": "up",
      moved: "up",
      "crashed-collector": "down",
      down: "down",
      stopped: "stopped",
      never: "never",
      revoked: "revoked",
      maint: "maintenance",
    });
    expect(hosts["up-here"].lastSeenAt).not.toBeNull();
    expect(hosts.never.lastSeenAt).toBeNull();
    expect(hosts.down).toMatchObject({ firingAlerts: 1, connected: false, os: { platform: "linux", release: "6.1.0", arch: "x64" } });
    expect(alpha.status).toBe("down");
    expect(alpha.counts).toMatchObject({ hosts: 9, up: 3, down: 2, stopped: 1, never: 1, revoked: 1, maintenance: 1, firingAlerts: 1 });
    expect(res.body.counts.hosts).toBe(10);
    expect(res.body.clients.map((c: Json) => c.name)).toEqual(["Alpha", "Bravo"]);
    const bravo = res.body.clients.find((c: Json) => c.id === b.clientId);
    expect(bravo.status).toBe("never");
  });

  it("shows a viewer only its own client", async () => {
    const res = await callAs(t.app, { role: "viewer", subject: "v", clientId: b.clientId }, "GET", "/api/v1/fleet");
    expect(res.status).toBe(200);
    const body = res.body as Json;
    expect(body.clients.map((c: Json) => c.id)).toEqual([b.clientId]);
    expect(body.counts.hosts).toBe(1);
    expect(JSON.stringify(body)).not.toContain(ids["up-here"]);
  });

  it("needs a credential", async () => {
    expect((await t.call("GET", "/api/v1/fleet", { token: null })).status).toBe(401);
  });
});
