import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alert } from "../../alerts/state.js";
import { openStore, type Store } from "../clickhouse.js";
import { migrate } from "../migrate.js";
import { ackLinkKey, listChannels, listRoutes, listSilences, saveChannel, saveRoute, saveSilence } from "./alert-config.js";
import { checkStreaks, connectTimes, inventoryChangesSince, lastConnections, seriesStats } from "./alert-signals.js";
import { findAlert, listAlerts, listDeliveries, logDeliveries, openAlerts, saveAlert } from "./alerts.js";

// Recent: telemetry older than its retention is dropped as it is inserted.
const T = Math.floor(Date.now() / 1000) * 1000;

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: "a1",
    clientId: "c1",
    siteId: "s1",
    hostId: "h1",
    ruleId: "builtin-host-down",
    ruleKind: "host_down",
    subjectKey: "host:h1",
    subjectKind: "host",
    subjectName: "db-01",
    severity: "critical",
    state: "firing",
    startedAt: T,
    createdAt: T + 10_000,
    acknowledgedAt: null,
    acknowledgedBy: "",
    resolvedAt: null,
    resolvedBy: "",
    lastNotifiedAt: T + 10_000,
    escalationStep: 0,
    suppressedBy: "",
    summary: "db-01 lost its connection",
    updatedAt: T + 10_000,
    ...overrides,
  };
}

describe("alert storage", () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-alerts-"));
    store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
    await migrate(store, { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the latest version of an alert, nulls included, and filters by state and time", async () => {
    await saveAlert(store, alert());
    await saveAlert(store, alert({ state: "acknowledged", acknowledgedAt: T + 60_000, acknowledgedBy: "alice" }));
    await saveAlert(store, alert({ id: "a2", subjectKey: "host:h2", hostId: "h2", createdAt: T + 20_000, state: "resolved", resolvedAt: T + 90_000, resolvedBy: "vigil" }));
    expect(await findAlert(store, "a1")).toEqual(alert({ state: "acknowledged", acknowledgedAt: T + 60_000, acknowledgedBy: "alice" }));
    expect((await openAlerts(store)).map((a) => a.id)).toEqual(["a1"]);
    expect((await listAlerts(store, { clientId: "c1" })).map((a) => a.id)).toEqual(["a2", "a1"]);
    expect((await listAlerts(store, { since: T + 15_000 })).map((a) => a.id)).toEqual(["a2"]);
    expect((await listAlerts(store, { states: ["resolved"], hostId: "h2" }))[0]).toMatchObject({ resolvedAt: T + 90_000, resolvedBy: "vigil" });
    expect(await findAlert(store, "nosuch")).toBeNull();
  });

  it("logs deliveries with every attempt", async () => {
    const attempts = [
      { at: T, durationMs: 5, status: 500, error: "HTTP 500", code: "http_status" as const },
      { at: T + 1000, durationMs: 4, status: 200 },
    ];
    await logDeliveries(store, [{ at: T, clientId: "c1", alertId: "a1", channelId: "ch1", channelType: "webhook", event: "firing", deliveryId: "d1", ok: true, attempts, error: "" }]);
    expect(await listDeliveries(store, ["a1"])).toEqual([{ at: T, clientId: "c1", alertId: "a1", channelId: "ch1", channelType: "webhook", event: "firing", deliveryId: "d1", ok: true, attempts, error: "" }]);
  });

  it("stores channels with their secrets, routes and silences, and hides tombstoned ones", async () => {
    const ch = { id: "ch1", clientId: "", name: "On-call", config: { type: "webhook" as const, url: "http://127.0.0.1:9/hook", secret: "s".repeat(20) }, enabled: true, createdAt: T, createdBy: "t", updatedAt: T };
    await saveChannel(store, ch);
    await saveChannel(store, { ...ch, id: "ch2", clientId: "c2" });
    expect((await listChannels(store, { clientId: "c1", withGlobal: true })).map((c) => c.id)).toEqual(["ch1"]);
    expect((await listChannels(store))[0]!.config).toEqual(ch.config);
    await saveChannel(store, ch, true);
    expect((await listChannels(store)).map((c) => c.id)).toEqual(["ch2"]);

    const route = { id: "r1", clientId: "c1", name: "c1", severities: ["critical" as const], channelIds: ["ch2"], escalation: [{ afterMinutes: 15, channelIds: ["ch2"] }], enabled: true, createdAt: T, createdBy: "t", updatedAt: T };
    await saveRoute(store, route);
    expect(await listRoutes(store, { clientId: "c1" })).toEqual([route]);
    expect(await listRoutes(store, { clientId: "c3" })).toEqual([]);

    const silence = { id: "si1", clientId: "c1", scope: { level: "host" as const, id: "h1" }, matcher: { ruleKind: "host_down" as const }, startsAt: T, endsAt: T + 3600_000, reason: "patching", createdAt: T, createdBy: "t" };
    await saveSilence(store, silence);
    expect(await listSilences(store, { endsAfter: T })).toEqual([silence]);
    expect(await listSilences(store, { endsAfter: T + 3600_000 })).toEqual([]);
  });

  it("creates the ack-link key once", async () => {
    const key = await ackLinkKey(store);
    expect(Buffer.byteLength(key)).toBeGreaterThanOrEqual(32);
    expect(await ackLinkKey(store)).toBe(key);
  });

  it("reads check streaks newest first, metric series over a window, and each agent's last connection", async () => {
    const base = { client_id: "c1", site_id: "s1", agent_id: "h1", check_type: "http", role: "service", target: "http://127.0.0.1/", latency_ms: null, loss_pct: null, status: 0, boot_id: "b", seq: 1, skew_ms: 0, received_at: T };
    await store.insert("check_results", [
      { ...base, check_id: "web", ts: T - 3000, ok: 1, error: "" },
      { ...base, check_id: "web", ts: T - 2000, ok: 0, error: "HTTP 500" },
      { ...base, check_id: "web", ts: T - 1000, ok: 0, error: "HTTP 503" },
    ]);
    expect(await checkStreaks(store, T - 60_000, 2)).toEqual([
      { agentId: "h1", clientId: "c1", siteId: "s1", checkId: "web", target: "http://127.0.0.1/", recent: [{ at: T - 1000, ok: false }, { at: T - 2000, ok: false }], lastError: "HTTP 503" },
    ]);

    const m = { client_id: "c1", site_id: "s1", agent_id: "h1", name: "cpu.utilization", labels: "{}", boot_id: "b", seq: 1, skew_ms: 0, received_at: T };
    await store.insert("metrics_raw", [
      { ...m, ts: T - 400_000, value: 10 },
      { ...m, ts: T - 200_000, value: 95 },
      { ...m, ts: T - 100_000, value: 92 },
      { ...m, ts: T - 10_000, value: 97 },
    ]);
    expect(await seriesStats(store, "cpu.utilization", T - 300_000)).toEqual([
      { agentId: "h1", clientId: "c1", siteId: "s1", labels: "{}", minValue: 92, lastValue: 97, firstAt: T - 200_000, lastAt: T - 10_000 },
    ]);

    const ev = { client_id: "c1", site_id: "s1", detail: "", remote_addr: "127.0.0.1", agent_version: "1", collector_id: "x" };
    await store.insert("connection_events", [
      { ...ev, at: T - 5000, agent_id: "h1", event: "connected", reason: "hello", boot_id: "b1" },
      { ...ev, at: T - 4000, agent_id: "h1", event: "goodbye", reason: "os_reboot", boot_id: "b1" },
      { ...ev, at: T - 3000, agent_id: "h1", event: "disconnected", reason: "goodbye:os_reboot", boot_id: "b1" },
      { ...ev, at: T - 2000, agent_id: "h2", event: "connected", reason: "hello", boot_id: "b9" },
    ]);
    const last = await lastConnections(store, T - 60_000);
    expect(last.sort((a, b) => a.agentId.localeCompare(b.agentId))).toEqual([
      { agentId: "h1", event: "disconnected", reason: "goodbye:os_reboot", at: T - 3000, bootId: "b1" },
      { agentId: "h2", event: "connected", reason: "hello", at: T - 2000, bootId: "b9" },
    ]);
    const times = await connectTimes(store, T - 60_000);
    expect([...times].sort()).toEqual([
      ["h1", [T - 5000]],
      ["h2", [T - 2000]],
    ]);
    expect(await connectTimes(store, T - 3000)).toEqual(new Map([["h2", [T - 2000]]]));
  });

  it("reads inventory changes of every client since an instant, a change stored twice once", async () => {
    const mark = { site_id: "s1", agent_id: "h1", prev_seq: 4, prev_ts: T - 7_200_000, before: "", after: "1.24.0" };
    const row = { ...mark, client_id: "c1", seq: 5, ts: T - 60_000, category: "software", change: "installed", item: "nginx" };
    await store.insert("inventory_changes", [row, row, { ...row, client_id: "c2", agent_id: "h7", seq: 9, ts: T - 30_000, category: "os", change: "changed", item: "release" }]);
    await store.insert("inventory_changes", [{ ...row, seq: 3, ts: T - 3_600_000 }]);
    expect(await inventoryChangesSince(store, T - 120_000)).toEqual([
      { agentId: "h1", clientId: "c1", siteId: "s1", seq: 5, at: T - 60_000, category: "software", change: "installed", item: "nginx", before: "", after: "1.24.0" },
      { agentId: "h7", clientId: "c2", siteId: "s1", seq: 9, at: T - 30_000, category: "os", change: "changed", item: "release", before: "", after: "1.24.0" },
    ]);
  });
});
