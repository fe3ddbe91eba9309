import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillForecast } from "../inventory/lifecycle.js";
import { storeInventory, windowsWorkstation } from "../inventory/testing.js";
import { openStore, type Store } from "../store/clickhouse.js";
import { migrate } from "../store/migrate.js";
import { saveAlert } from "../store/queries/alerts.js";
import { StoreAlertRepository } from "./repository.js";
import type { Alert } from "./state.js";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const GiB = 1024 ** 3;
// Recent: telemetry older than its retention is dropped as it is inserted.
const NOW = Math.floor(Date.now() / HOUR) * HOUR;
const host = { clientId: "c1", siteId: "s1", agentId: "h1" };

describe("the alert repository's reads for forecasts, flapping and inventory changes", () => {
  let store: Store;
  let dir: string;
  let repo: StoreAlertRepository;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-alert-repo-"));
    store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
    await migrate(store, { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 });
    repo = new StoreAlertRepository(store);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads filesystem usage from the rollups, as the lifecycle report does, and forecasts it", async () => {
    // /srv: 400 of 500 GiB used, growing 20 GiB a day for four days: full in about five days.
    const labels = '{"device":"/dev/sdb1","fstype":"xfs","mount":"/srv"}';
    const rows = [];
    for (let i = 0; i <= 4 * 24 * 2; i++) {
      const ts = NOW - 4 * DAY + i * 1800_000;
      const used = (320 + (20 * (ts - (NOW - 4 * DAY))) / DAY) * GiB;
      const base = { client_id: "c1", site_id: "s1", agent_id: "h1", labels, ts, boot_id: "b", seq: 1000 + i, skew_ms: 0, received_at: ts };
      rows.push({ ...base, name: "fs.used_bytes", value: used }, { ...base, name: "fs.size_bytes", value: 500 * GiB }, { ...base, name: "fs.used_pct", value: (used / (500 * GiB)) * 100 });
    }
    await store.insert("metrics_raw", rows);
    const trends = await repo.filesystemTrends(["c1", "c2"], NOW);
    expect([...trends.keys()]).toEqual(["h1"]);
    const [srv] = trends.get("h1")!;
    expect(srv!.mount).toBe("/srv");
    const f = fillForecast(srv!);
    expect(f!.daysToFull).toBeGreaterThan(4);
    expect(f!.daysToFull).toBeLessThan(6);
    expect((await repo.filesystemTrends(["c2"], NOW)).size).toBe(0);
  });

  it("compares new inventories and reads their changes, each change once however often it is asked", async () => {
    const before = windowsWorkstation({ collectedAt: NOW - 2 * HOUR });
    const after = windowsWorkstation({
      collectedAt: NOW - HOUR,
      software: [...before.software, { name: "Zoom Workplace", version: "6.2.10", arch: "x64", publisher: "Zoom Video Communications, Inc.", source: "registry" as const }],
    });
    await storeInventory(store, host, before, 10);
    await storeInventory(store, host, after, 11);
    const read = async () => (await repo.inventoryChanges(["c1"], NOW - DAY, NOW)).map((c) => [c.agentId, c.clientId, c.seq, c.category, c.change, c.item, c.after]);
    expect(await read()).toEqual([["h1", "c1", 11, "software", "installed", "Zoom Workplace", "6.2.10"]]);
    expect(await read()).toEqual([["h1", "c1", 11, "software", "installed", "Zoom Workplace", "6.2.10"]]);
    expect(await repo.inventoryChanges(["c1"], NOW - HOUR / 2, NOW)).toEqual([]);
  });

  it("reads connect times and the subjects of alerts already fired", async () => {
    const ev = { client_id: "c1", site_id: "s1", detail: "", remote_addr: "127.0.0.1", agent_version: "1", collector_id: "x", boot_id: "b" };
    await store.insert("connection_events", [
      { ...ev, at: NOW - 3000, agent_id: "h1", event: "connected", reason: "hello" },
      { ...ev, at: NOW - 2000, agent_id: "h1", event: "disconnected", reason: "close:1006" },
      { ...ev, at: NOW - 1000, agent_id: "h1", event: "connected", reason: "hello" },
    ]);
    expect(await repo.connectTimes(NOW - HOUR)).toEqual(new Map([["h1", [NOW - 3000, NOW - 1000]]]));

    const at = NOW - 1000;
    const alert: Alert = {
      ...{ id: "a1", clientId: "c1", siteId: "s1", hostId: "h1", ruleId: "r1", ruleKind: "inventory_changed", subjectKey: "inventory:h1:11:software" },
      ...{ subjectKind: "host", subjectName: "h1", severity: "info", state: "resolved", startedAt: NOW - HOUR, createdAt: at, updatedAt: at, summary: "x" },
      ...{ acknowledgedAt: null, acknowledgedBy: "", resolvedAt: at, resolvedBy: "vigil", lastNotifiedAt: at, escalationStep: 0, suppressedBy: "" },
    };
    await saveAlert(store, alert);
    await saveAlert(store, { ...alert, id: "a2", ruleKind: "host_down", subjectKey: "host:h1" });
    expect(await repo.alertSubjects("inventory_changed", NOW - DAY)).toEqual(new Set(["inventory:h1:11:software"]));
    expect(await repo.alertSubjects("inventory_changed", NOW)).toEqual(new Set());
  });
});
