import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type Json, type TestApi } from "../testing.js";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("GET /api/v1/hosts/{id}/metrics", () => {
  let t: TestApi;
  let agent: { clientId: string; siteId: string; agentId: string };
  let other: { clientId: string; siteId: string; agentId: string };
  // Two days ago at the top of an hour: inside raw retention, in the past.
  const base = Math.floor((Date.now() - 2 * DAY) / HOUR) * HOUR;
  const url = (query: string, id = agent.agentId) => `/api/v1/hosts/${id}/metrics?${query}`;
  const row = (a: typeof agent, name: string, labels: string, ts: number, value: number) => ({
    client_id: a.clientId,
    site_id: a.siteId,
    agent_id: a.agentId,
    name,
    labels,
    ts,
    value,
    boot_id: "boot",
    seq: 1,
    skew_ms: 0,
    received_at: ts,
  });

  beforeAll(async () => {
    t = await createTestApi();
    agent = await t.seedAgent({ hostname: "web01" });
    other = await t.seedAgent({ hostname: "web02" });
    // cpu.utilization every 15 s for two hours: value = minute index within the hour block + sample index / 10.
    const rows = [];
    for (let i = 0; i < 480; i++) {
      const ts = base + i * 15_000;
      rows.push(row(agent, "cpu.utilization", "{}", ts, Math.floor(i / 4) + (i % 4) / 10));
      rows.push(row(agent, "fs.used_pct", '{"mount":"/"}', ts, 50));
      rows.push(row(agent, "fs.used_pct", '{"mount":"/var"}', ts, 70));
    }
    rows.reverse(); // arrival order must not matter
    await t.store.insert("metrics_raw", rows);
    // Another host's data must never show up.
    await t.store.insert("metrics_raw", [row(other, "cpu.utilization", "{}", base, 999)]);
    // Spread over days, for the 1-hour rollup: one sample per day at 06:00 and 06:30 of each of the last 20 days.
    const daily = [];
    for (let d = 3; d < 23; d++) {
      const day = base - d * DAY;
      daily.push(row(agent, "mem.used_pct", "{}", day, 10), row(agent, "mem.used_pct", "{}", day + 30 * 60_000, 20 + d));
    }
    await t.store.insert("metrics_raw", daily);
  });
  afterAll(async () => {
    await t.close();
  });

  it("answers from raw samples for up to 6 hours, points sorted by time", async () => {
    const res = await t.call("GET", url(`name=cpu.utilization&from=${base}&to=${base + 2 * 60_000}`));
    expect(res.status).toBe(200);
    expect(res.body.resolution).toBe("raw");
    expect(res.body.stepSeconds).toBe(15);
    expect(res.body.series).toEqual([
      {
        name: "cpu.utilization",
        labels: {},
        points: [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => [base + i * 15_000, Math.floor(i / 4) + (i % 4) / 10]),
      },
    ]);
  });

  it("averages raw samples into the requested step", async () => {
    const res = await t.call("GET", url(`name=cpu.utilization&from=${base}&to=${base + 3 * 60_000 - 1}&step=60`));
    expect(res.body.resolution).toBe("raw");
    expect(res.body.stepSeconds).toBe(60);
    const points = res.body.series[0].points;
    expect(points.map((p: number[]) => p[0])).toEqual([base, base + 60_000, base + 120_000]);
    for (const [k, [, v]] of points.entries()) expect(v).toBeCloseTo(k + 0.15, 9);
  });

  it("answers up to 8 days from the 1-minute rollup with correct averages", async () => {
    const res = await t.call("GET", url(`name=cpu.utilization&from=${base - DAY}&to=${base + DAY}`));
    expect(res.status).toBe(200);
    expect(res.body.resolution).toBe("1m");
    expect(res.body.stepSeconds).toBe(60);
    const points = res.body.series[0].points;
    expect(points).toHaveLength(120);
    expect(points[0]).toEqual([base, expect.closeTo(0.15, 9)]);
    expect(points[119]).toEqual([base + 119 * 60_000, expect.closeTo(119.15, 9)]);
  });

  it("widens a 1-minute step to a multiple of the table's resolution", async () => {
    const res = await t.call("GET", url(`name=cpu.utilization&from=${base - DAY}&to=${base + DAY}&step=90`));
    expect(res.body.stepSeconds).toBe(120);
    const points = res.body.series[0].points;
    expect(points).toHaveLength(60);
    // Minutes 0 and 1: samples 0.0..0.3 and 1.0..1.3.
    expect(points[0]).toEqual([base, expect.closeTo(0.65, 9)]);
    const tooSmall = await t.call("GET", url(`name=cpu.utilization&from=${base - DAY}&to=${base + DAY}&step=1`));
    expect(tooSmall.body.stepSeconds).toBe(60);
  });

  it("answers longer ranges from the 1-hour rollup, averaging every sample of the hour", async () => {
    const res = await t.call("GET", url(`name=mem.used_pct,cpu.utilization&from=${base - 30 * DAY}&to=${base + DAY}`));
    expect(res.status).toBe(200);
    expect(res.body.resolution).toBe("1h");
    expect(res.body.stepSeconds).toBe(3600);
    const byName = Object.fromEntries(res.body.series.map((s: Json) => [s.name, s.points]));
    expect(Object.keys(byName).sort()).toEqual(["cpu.utilization", "mem.used_pct"]);
    expect(byName["mem.used_pct"]).toHaveLength(20);
    const d5 = byName["mem.used_pct"].find((p: number[]) => p[0] === base - 5 * DAY);
    expect(d5?.[1]).toBeCloseTo((10 + 25) / 2, 9);
    // Hour one of cpu.utilization: 240 samples, minute m contributes m + 0.15 on average.
    expect(byName["cpu.utilization"][0]).toEqual([base, expect.closeTo(29.5 + 0.15, 9)]);
    expect(byName["cpu.utilization"][1]).toEqual([base + HOUR, expect.closeTo(89.5 + 0.15, 9)]);
    const times = byName["mem.used_pct"].map((p: number[]) => p[0]);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("merges rollup rows that are not merged yet", async () => {
    const minute = base + 3 * HOUR;
    await t.store.insert("metrics_raw", [row(agent, "net.rx_bytes", "{}", minute, 10)]);
    await t.store.insert("metrics_raw", [row(agent, "net.rx_bytes", "{}", minute + 20_000, 20), row(agent, "net.rx_bytes", "{}", minute + 40_000, 60)]);
    const res = await t.call("GET", url(`name=net.rx_bytes&from=${minute - DAY}&to=${minute + HOUR}`));
    expect(res.body.resolution).toBe("1m");
    expect(res.body.series[0].points).toEqual([[minute, 30]]);
  });

  it("keeps label sets apart and parses them", async () => {
    const res = await t.call("GET", url(`name=fs.used_pct&from=${base}&to=${base + 60_000}`));
    expect(res.body.series.map((s: Json) => [s.labels, s.points.length, s.points[0][1]])).toEqual([
      [{ mount: "/" }, 5, 50],
      [{ mount: "/var" }, 5, 70],
    ]);
  });

  it("takes ISO 8601 times with offsets, and defaults to the last hour", async () => {
    const from = new Date(base).toISOString().replace("Z", "+00:00");
    const to = new Date(base + 30_000).toISOString();
    const iso = await t.call("GET", url(`name=cpu.utilization&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`));
    expect(iso.status).toBe(200);
    expect(iso.body.series[0].points.map((p: number[]) => p[0])).toEqual([base, base + 15_000, base + 30_000]);

    const recent = Date.now() - 10 * 60_000;
    await t.store.insert("metrics_raw", [row(agent, "load.1m", "{}", recent, 0.5), row(agent, "load.1m", "{}", Date.now() - 2 * HOUR, 9)]);
    const dflt = await t.call("GET", url("name=load.1m"));
    expect(dflt.body.resolution).toBe("raw");
    expect(dflt.body.series).toEqual([{ name: "load.1m", labels: {}, points: [[recent, 0.5]] }]);
  });

  it("returns no series for a metric without data", async () => {
    const res = await t.call("GET", url(`name=nothing.here&from=${base}&to=${base + HOUR}`));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ series: [], resolution: "raw", stepSeconds: 15 });
  });

  it("answers 404 for an unknown host", async () => {
    const res = await t.call("GET", url("name=cpu.utilization", "nosuchhost"));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });

  const invalid: Array<[string, string, RegExp]> = [
    ["a missing name", `from=${base}`, /^name: required/],
    ["an empty name", "name=", /^name: /],
    ["only commas", "name=,,", /^name: required/],
    ["an injected name", `name=${encodeURIComponent("cpu') OR 1=1 --")}`, /^name: /],
    ["an upper-case name", "name=CPU", /^name: /],
    ["from after to", `name=cpu.utilization&from=${base + 1000}&to=${base}`, /^from: must be before to/],
    ["from equal to to", `name=cpu.utilization&from=${base}&to=${base}`, /^from: must be before to/],
    ["a range over 400 days", `name=cpu.utilization&from=${base - 401 * DAY}&to=${base}`, /^from: range must not exceed 400 days/],
    ["an unparseable from", "name=cpu.utilization&from=yesterday", /^from: /],
    ["a non-ISO date", `name=cpu.utilization&from=${encodeURIComponent("March 7, 2026")}`, /^from: /],
    ["an impossible to", "name=cpu.utilization&to=2026-13-45T99:00:00Z", /^to: /],
    ["a day the month lacks", "name=cpu.utilization&to=2026-02-30T00:00:00Z", /^to: not a valid date/],
    ["a zero step", "name=cpu.utilization&step=0", /^step: /],
    ["a fractional step", "name=cpu.utilization&step=1.5", /^step: /],
    ["a word as step", "name=cpu.utilization&step=abc", /^step: /],
  ];
  for (const [what, query, message] of invalid) {
    it(`rejects ${what} with 400`, async () => {
      const res = await t.call("GET", url(query));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.message).toMatch(message);
    });
  }

  it("requires the admin token", async () => {
    expect((await t.call("GET", url("name=cpu.utilization"), { token: null })).status).toBe(401);
  });

  it("gives each check's latency from the check results, raw and from the rollups", async () => {
    const check = (ts: number, latency: number | null) => ({
      client_id: agent.clientId, site_id: agent.siteId, agent_id: agent.agentId, check_id: "gw-ping", check_type: "ping", role: "gateway", target: "10.0.0.1",
      ts, ok: latency === null ? 0 : 1, latency_ms: latency, loss_pct: latency === null ? 100 : 0, status: 0, error: "", boot_id: "boot", seq: 1, skew_ms: 0, received_at: ts,
    });
    await t.store.insert("check_results", [check(base, 2), check(base + 30_000, 4), check(base + 60_000, null), check(base + 90_000, 6)]);
    const raw = await t.call("GET", url(`name=check.latency_ms,cpu.utilization&from=${base}&to=${base + 120_000}`));
    expect(raw.status).toBe(200);
    const latency = raw.body.series.find((s: Json) => s.name === "check.latency_ms");
    expect(latency.labels).toEqual({ check: "gw-ping", role: "gateway" });
    expect(latency.points).toEqual([[base, 2], [base + 30_000, 4], [base + 90_000, 6]]);
    expect(raw.body.series.some((s: Json) => s.name === "cpu.utilization")).toBe(true);
    const week = await t.call("GET", url(`name=check.latency_ms&from=${base - 6 * DAY}&to=${base + HOUR}&step=3600`));
    expect(week.body.resolution).toBe("1m");
    expect(week.body.series).toEqual([{ name: "check.latency_ms", labels: { check: "gw-ping", role: "gateway" }, points: [[base, 4]] }]);
    const other_ = await t.call("GET", url(`name=check.latency_ms&from=${base}&to=${base + 120_000}`, other.agentId));
    expect(other_.body.series).toEqual([]);
  });
});
