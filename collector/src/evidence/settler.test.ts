import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../store/clickhouse.js";
import { migrate } from "../store/migrate.js";
import { saveJobMark } from "../store/queries/job-marks.js";
import { HealthRunSettler, SETTLE_JOB } from "./settler.js";
import { insertSamples } from "./testing.js";

const MIN = 60_000;
const agent = { clientId: "c1", siteId: "s1", agentId: "a1" };
let dir: string;
let store: Store;
let settler: HealthRunSettler;

async function liveRuns(): Promise<Array<{ boot: string; start: number; end: number }>> {
  const rows = await store.query<{ boot: string; start: number; end: number }>(
    `SELECT boot_id AS boot, toUnixTimestamp64Milli(start) AS start, toUnixTimestamp64Milli(end) AS end
     FROM health_runs FINAL WHERE agent_id = 'a1' AND deleted = 0 ORDER BY start`,
  );
  return rows.map((r) => ({ boot: r.boot, start: Number(r.start), end: Number(r.end) }));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "vigil-settler-"));
  store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
  await migrate(store, { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 });
  settler = new HealthRunSettler(store, { thresholdMs: 37_500, lagMs: 0 });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("HealthRunSettler", () => {
  const t0 = Math.floor(Date.now() / MIN) * MIN - 3 * 3_600_000;

  it("compacts consecutive samples of one boot into one run, and extends it as more arrive", async () => {
    await insertSamples(store, agent, t0, t0 + 10 * MIN, "b1");
    expect((await settler.settle()).agents).toBe(1);
    expect(await liveRuns()).toEqual([{ boot: "b1", start: t0, end: t0 + 10 * MIN }]);

    await insertSamples(store, agent, t0 + 10 * MIN + 15_000, t0 + 20 * MIN, "b1");
    await settler.settle();
    expect(await liveRuns()).toEqual([{ boot: "b1", start: t0, end: t0 + 20 * MIN }]);
  });

  it("keeps a gap above the threshold and a new boot id as separate runs", async () => {
    await insertSamples(store, agent, t0 + 30 * MIN, t0 + 40 * MIN, "b1");
    await insertSamples(store, agent, t0 + 41 * MIN, t0 + 50 * MIN, "b2");
    await settler.settle();
    expect(await liveRuns()).toEqual([
      { boot: "b1", start: t0, end: t0 + 20 * MIN },
      { boot: "b1", start: t0 + 30 * MIN, end: t0 + 40 * MIN },
      { boot: "b2", start: t0 + 41 * MIN, end: t0 + 50 * MIN },
    ]);
  });

  it("merges late samples from the spool into the runs around them, removing the swallowed run", async () => {
    await insertSamples(store, agent, t0 + 20 * MIN + 15_000, t0 + 30 * MIN - 15_000, "b1");
    await settler.settle();
    expect(await liveRuns()).toEqual([
      { boot: "b1", start: t0, end: t0 + 40 * MIN },
      { boot: "b2", start: t0 + 41 * MIN, end: t0 + 50 * MIN },
    ]);
  });

  it("is idempotent: settling everything again from the beginning changes nothing", async () => {
    const before = await liveRuns();
    await saveJobMark(store, SETTLE_JOB, 0);
    await settler.settle();
    expect(await liveRuns()).toEqual(before);
    expect(await settler.mark()).toBeGreaterThan(t0);
  });
});
