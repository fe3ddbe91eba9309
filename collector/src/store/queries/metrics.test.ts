import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../clickhouse.js";
import { migrate } from "../migrate.js";
import { MAX_POINTS_PER_SERIES, planMetricsQuery, readMetrics } from "./metrics.js";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("planMetricsQuery", () => {
  const to = Date.UTC(2026, 5, 1);
  it("reads raw samples up to 6 hours, bucketing only for a step over 15 s", () => {
    expect(planMetricsQuery(to - 6 * HOUR, to)).toEqual({ resolution: "raw", stepSeconds: 15, bucketed: false });
    expect(planMetricsQuery(to - HOUR, to, 10)).toEqual({ resolution: "raw", stepSeconds: 15, bucketed: false });
    expect(planMetricsQuery(to - HOUR, to, 30)).toEqual({ resolution: "raw", stepSeconds: 30, bucketed: true });
  });
  it("reads the 1-minute rollup up to 8 days, the 1-hour rollup beyond", () => {
    expect(planMetricsQuery(to - 6 * HOUR - 1, to)).toMatchObject({ resolution: "1m", stepSeconds: 60 });
    expect(planMetricsQuery(to - 8 * DAY, to).resolution).toBe("1m");
    expect(planMetricsQuery(to - 8 * DAY - 1, to)).toMatchObject({ resolution: "1h", stepSeconds: 3600 });
    expect(planMetricsQuery(to - 400 * DAY, to)).toMatchObject({ resolution: "1h", stepSeconds: 3600 });
  });
  it("reads an old short range from the rollups once raw data has aged out", () => {
    const now = Date.UTC(2026, 10, 23);
    const kept = { rawDays: 30, minuteRollupDays: 90, nowMs: now };
    const hour = (daysAgo: number) => [now - daysAgo * 86_400_000, now - daysAgo * 86_400_000 + 3_600_000] as const;
    expect(planMetricsQuery(...hour(1), undefined, kept).resolution).toBe("raw");
    expect(planMetricsQuery(...hour(40), undefined, kept).resolution).toBe("1m");
    expect(planMetricsQuery(...hour(120), undefined, kept).resolution).toBe("1h");
  });

  it("raises the step to a multiple of the table's resolution", () => {
    expect(planMetricsQuery(to - DAY, to, 1).stepSeconds).toBe(60);
    expect(planMetricsQuery(to - DAY, to, 61).stepSeconds).toBe(120);
    expect(planMetricsQuery(to - 30 * DAY, to, 5000).stepSeconds).toBe(7200);
  });
  it("widens the step so no series exceeds the point cap", () => {
    for (const span of [6 * HOUR + 1, 3 * DAY, 8 * DAY, 9 * DAY, 400 * DAY]) {
      const plan = planMetricsQuery(to - span, to);
      expect(span / 1000 / plan.stepSeconds + 1).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    }
    expect(planMetricsQuery(to - 8 * DAY, to).stepSeconds).toBe(120);
  });
});

describe("readMetrics on the embedded store", () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-metrics-"));
    store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
    await migrate(store, { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("buckets raw samples that come faster than the point cap allows", async () => {
    const base = Math.floor((Date.now() - DAY) / HOUR) * HOUR;
    const n = MAX_POINTS_PER_SERIES + 500;
    const rows = Array.from({ length: n }, (_, i) => ({
      client_id: "c", site_id: "s", agent_id: "a", name: "cpu.utilization", labels: "{}",
      ts: base + i * 1000, value: i % 15, boot_id: "b", seq: 1, skew_ms: 0, received_at: base,
    }));
    await store.insert("metrics_raw", rows);
    const q = { clientId: "c", agentId: "a", names: ["cpu.utilization"], fromMs: base, toMs: base + 4 * HOUR };
    const { plan, series } = await readMetrics(store, q);
    expect(plan).toEqual({ resolution: "raw", stepSeconds: 15, bucketed: true });
    expect(series).toHaveLength(1);
    expect(series[0]!.points.length).toBe(Math.ceil(n / 15));
    // Each full 15-second bucket holds values 0..14.
    expect(series[0]!.points[0]).toEqual([base, 7]);

    const short = await readMetrics(store, { ...q, toMs: base + 2 * HOUR });
    expect(short.plan.bucketed).toBe(false);
    expect(short.series[0]!.points).toHaveLength(2 * 3600 + 1);
  });

  it("never reads another client's or agent's rows", async () => {
    const ts = Date.now() - HOUR;
    const row = (client: string, agent: string, value: number) => ({
      client_id: client, site_id: "s", agent_id: agent, name: "mem.used_pct", labels: "{}",
      ts, value, boot_id: "b", seq: 1, skew_ms: 0, received_at: ts,
    });
    await store.insert("metrics_raw", [row("c", "a", 1), row("c", "other", 2), row("other", "a", 3)]);
    const { series } = await readMetrics(store, { clientId: "c", agentId: "a", names: ["mem.used_pct"], fromMs: ts - HOUR, toMs: ts + HOUR });
    expect(series).toEqual([{ name: "mem.used_pct", labels: "{}", points: [[ts, 1]] }]);
  });
});
