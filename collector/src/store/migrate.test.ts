import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "./clickhouse.js";
import { loadMigrations, migrate } from "./migrate.js";

const retention = { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 };

describe("migrations on the embedded store", () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-migrate-"));
    store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates every table once and is a no-op the second time", async () => {
    const first = await migrate(store, retention);
    expect(first.applied).toEqual(loadMigrations(retention).map((m) => m.name));
    expect(first.applied.slice(0, 5)).toEqual(["001_configuration", "002_telemetry", "003_rollups", "004_inventory", "005_availability"]);
    const second = await migrate(store, retention);
    expect(second.applied).toEqual([]);
    const tables = (await store.query<{ name: string }>("SELECT name FROM system.tables WHERE database = 'vigil'")).map((r) => r.name);
    for (const t of ["clients", "sites", "enrollment_tokens", "agents", "connection_events", "metrics_raw", "check_results", "metrics_1m", "metrics_1h", "checks_1m", "checks_1h", "inventory_history", "inventory_latest", "inventory_changes", "inventory_diffs", "health_runs", "client_policies", "maintenance_windows", "incident_annotations", "audit_log", "report_runs", "report_deliveries"]) {
      expect(tables).toContain(t);
    }
  });

  it("rolls raw metrics up into 1-minute and 1-hour aggregates", async () => {
    // Recent and on the hour: rows older than the rollups' retention would be dropped by their TTL.
    const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
    const row = (ts: number, value: number) => ({
      client_id: "c1", site_id: "s1", agent_id: "a1", name: "cpu.utilization", labels: "{}", ts, value,
      boot_id: "b", seq: 1, skew_ms: 0, received_at: ts,
    });
    await store.insert("metrics_raw", [row(base, 10), row(base + 15_000, 20), row(base + 60_000, 60)]);
    const minutes = await store.query<{ ts: string; avg: number; n: number }>(
      "SELECT toUnixTimestamp(ts) * 1000 AS ts, sum(sum_value) / sum(count) AS avg, sum(count) AS n FROM metrics_1m WHERE agent_id = {a:String} GROUP BY ts ORDER BY ts",
      { a: "a1" },
    );
    expect(minutes.map((m) => [Number(m.ts), m.avg, Number(m.n)])).toEqual([[base, 15, 2], [base + 60_000, 60, 1]]);
    const hours = await store.query<{ avg: number; mx: number }>(
      "SELECT sum(sum_value) / sum(count) AS avg, max(max_value) AS mx FROM metrics_1h WHERE agent_id = {a:String}",
      { a: "a1" },
    );
    expect(hours[0]).toEqual({ avg: 30, mx: 60 });
  });

  it("changes TTLs when the retention setting changes", async () => {
    await migrate(store, { ...retention, rawDays: 7 });
    const [t] = await store.query<{ q: string }>("SELECT create_table_query AS q FROM system.tables WHERE database = 'vigil' AND name = 'metrics_raw'");
    expect(t?.q).toContain("toIntervalDay(7)");
  });
});
