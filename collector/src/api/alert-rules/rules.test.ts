import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../store/queries/audit.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("/api/v1/alert-rules", () => {
  let t: TestApi;
  let clientId: string;
  let siteId: string;
  beforeAll(async () => {
    t = await createTestApi();
    ({ clientId, siteId } = await t.seedClientAndSite("Acme"));
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists the built-in defaults, and creates rules with their defaults filled in", async () => {
    const empty = await t.call("GET", "/api/v1/alert-rules");
    expect(empty.body.items).toEqual([]);
    expect(empty.body.defaults.map((r: { kind: string }) => r.kind)).toEqual(["host_down", "site_down", "host_rebooted", "check_failing", "threshold", "fs_forecast", "agent_flapping"]);
    expect(empty.body.defaults[0]).toMatchObject({ builtin: true, params: { confirmSeconds: 10, plannedConfirmSeconds: 600, repeatMinutes: 240 } });

    const res = await t.call("POST", "/api/v1/alert-rules", { body: { kind: "host_down", scope: { level: "client", id: clientId }, params: { confirmSeconds: 30 } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ clientId, kind: "host_down", name: "Host down", severity: "critical", enabled: true, builtin: false, params: { confirmSeconds: 30, plannedConfirmSeconds: 600, repeatMinutes: 240 } });

    const cpu = await t.call("POST", "/api/v1/alert-rules", { body: { kind: "threshold", scope: { level: "site", id: siteId }, severity: "critical", params: { metric: "cpu", above: 95, forSeconds: 600 } } });
    expect(cpu.status).toBe(201);
    expect(cpu.body).toMatchObject({ clientId, scope: { level: "site", id: siteId }, params: { metric: "cpu", above: 95, forSeconds: 600 } });

    const patched = await t.call("PATCH", `/api/v1/alert-rules/${cpu.body.id}`, { body: { enabled: false, params: { metric: "cpu", above: 90 } } });
    expect(patched.body).toMatchObject({ enabled: false, params: { metric: "cpu", above: 90, forSeconds: 300 } });
    expect((await t.call("GET", `/api/v1/alert-rules?clientId=${clientId}`)).body.items).toHaveLength(2);
    expect((await t.call("DELETE", `/api/v1/alert-rules/${cpu.body.id}`)).status).toBe(204);
    expect((await t.call("GET", `/api/v1/alert-rules/${cpu.body.id}`)).status).toBe(404);
    const audit = await listAudit(t.store, { clientId, entity: "alert_rule", entityId: cpu.body.id });
    // Entries made within one millisecond have no order: compare them as a set.
    expect(audit.map((a) => a.action).sort()).toEqual(["create", "delete", "update"]);
    expect(audit.find((a) => a.action === "update")).toMatchObject({ actor: "admin-token", before: { enabled: true, params: { above: 95 } }, after: { enabled: false, params: { above: 90 } } });
  });

  const hostile: Array<[string, () => unknown, string]> = [
    ["an unknown kind", () => ({ kind: "disk_on_fire", scope: { level: "global" } }), "kind: must be one of"],
    ["an unknown rule field", () => ({ kind: "host_down", scope: { level: "global" }, priority: 1 }), "priority: unknown field"],
    ["an unknown parameter", () => ({ kind: "host_down", scope: { level: "global" }, params: { confirmMinutes: 1 } }), "params.confirmMinutes: unknown field"],
    ["a CPU threshold over 100", () => ({ kind: "threshold", scope: { level: "global" }, params: { metric: "cpu", above: 150 } }), "params.above: must be from 0 to below 100 for metric cpu"],
    ["a negative threshold", () => ({ kind: "threshold", scope: { level: "global" }, params: { metric: "load", above: -1 } }), "params.above: "],
    ["a threshold without a metric", () => ({ kind: "threshold", scope: { level: "global" }, params: { above: 90 } }), "params.metric: "],
    ["a confirmation window of 0", () => ({ kind: "host_down", scope: { level: "global" }, params: { confirmSeconds: 0 } }), "params.confirmSeconds: must be from 1 to 3600 seconds"],
    ["a fractional streak", () => ({ kind: "check_failing", scope: { level: "global" }, params: { consecutive: 2.5 } }), "params.consecutive: "],
    ["a forecast window of 0 days", () => ({ kind: "fs_forecast", scope: { level: "global" }, params: { withinDays: 0 } }), "params.withinDays: must be from 1 to 365 days"],
    ["a forecast with an unknown field", () => ({ kind: "fs_forecast", scope: { level: "global" }, params: { days: 7 } }), "params.days: unknown field"],
    ["a flapping limit over 1000", () => ({ kind: "agent_flapping", scope: { level: "global" }, params: { maxReconnectsPerHour: 5000 } }), "params.maxReconnectsPerHour: must be from 1 to 1000 reconnects"],
    ["an unknown kind of inventory change", () => ({ kind: "inventory_changed", scope: { level: "global" }, params: { changes: ["services"] } }), "params.changes.0: must be one of software, os, hardware"],
    ["an inventory rule that reports nothing", () => ({ kind: "inventory_changed", scope: { level: "global" }, params: { changes: [] } }), "params.changes: must name at least one kind of change"],
    ["an unknown site", () => ({ kind: "site_down", scope: { level: "site", id: "nosuch" } }), "scope.id: no such site"],
    ["a scope without an id", () => ({ kind: "host_down", scope: { level: "client" } }), "scope.id: required"],
    ["a site of another client", () => ({ kind: "site_down", clientId: "other", scope: { level: "site", id: siteId } }), "scope.id: belongs to another client"],
  ];
  for (const [what, body, message] of hostile) {
    it(`refuses ${what} with a 400 naming the field, storing nothing`, async () => {
      const before = await t.snapshot("alert_rules");
      const res = await t.call("POST", "/api/v1/alert-rules", { body: body() });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(await t.snapshot("alert_rules")).toBe(before);
    });
  }

  it("creates the forecast, flapping and inventory rules with their defaults", async () => {
    const made = await Promise.all(
      (["fs_forecast", "agent_flapping", "inventory_changed"] as const).map((kind) => t.call("POST", "/api/v1/alert-rules", { body: { kind, scope: { level: "client", id: clientId } } })),
    );
    expect(made.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(made.map((r) => [r.body.name, r.body.severity, r.body.params])).toEqual([
      ["Filesystem forecast full", "warning", { withinDays: 7, repeatMinutes: 1440 }],
      ["Agent flapping", "warning", { maxReconnectsPerHour: 6, repeatMinutes: 240 }],
      ["Inventory changed", "info", { changes: ["software", "os", "hardware"] }],
    ]);
    const patched = await t.call("PATCH", `/api/v1/alert-rules/${made[2]!.body.id}`, { body: { params: { changes: ["hardware"] } } });
    expect(patched.body.params).toEqual({ changes: ["hardware"] });
    const bad = await t.call("PATCH", `/api/v1/alert-rules/${made[1]!.body.id}`, { body: { params: { maxReconnectsPerHour: 0 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("params.maxReconnectsPerHour: must be from 1 to 1000 reconnects");
    for (const r of made) await t.call("DELETE", `/api/v1/alert-rules/${r.body.id}`);
  });

  it("refuses out-of-range parameters in a PATCH too", async () => {
    const created = await t.call("POST", "/api/v1/alert-rules", { body: { kind: "site_down", scope: { level: "global" } } });
    const res = await t.call("PATCH", `/api/v1/alert-rules/${created.body.id}`, { body: { params: { minHosts: 1 } } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("params.minHosts: must be from 2 to 10000 hosts");
  });
});
