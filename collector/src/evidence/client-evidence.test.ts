import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFleetReport } from "../reports/fleet.js";
import { buildSlaReport, type ReportContext } from "../reports/sla/build.js";
import { openStore, type Store } from "../store/clickhouse.js";
import { migrate } from "../store/migrate.js";
import { loadClientEvidence, loadFleetEvidence, type ClientEvidence } from "./client-evidence.js";
import { insertChecks, insertSamples, seedFleet } from "./testing.js";

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
// Whole minutes two days ago, so the check rollup's minutes line up with the period.
const P0 = Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 2 * H;
const P1 = P0 + 4 * H;
const GATEWAY = { id: "gw", role: "gateway" } as const;
const CLIENTS = 13;
// Check results read four clients at a time, so the fleet's reading crosses several batch boundaries.
const BATCH = 4;

let dir: string;
let store: Store;
let ctx: ReportContext;
const ids: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "vigil-evidence-"));
  store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
  await migrate(store, { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 });
  ctx = { store, timeline: { sampleIntervalMs: 15_000, checkIntervalMs: 30_000 }, now: () => P1 + 6 * H };
  for (let i = 0; i < CLIENTS; i++) {
    const clientId = `c${String(i).padStart(2, "0")}`;
    ids.push(clientId);
    const hosts = await seedFleet(store, { clientId, sites: { [`${clientId}-a`]: ["h1", "h2"], [`${clientId}-b`]: ["h3"] }, enrolledAt: P0 - 10 * DAY });
    for (const [name, host] of Object.entries(hosts)) {
      await insertSamples(store, host, P0 - 7 * H, P1 + 5 * H, `${clientId}-${name}`);
      // Healthy gateway checks everywhere, and on every other client a 10-minute gateway outage on site a
      // (both hosts), starting at a different minute for each client.
      const outage = P0 + H + i * 7 * MIN;
      if (i % 2 === 1 && name !== "h3") {
        await insertChecks(store, host, GATEWAY, P0 - 7 * H, outage - 30_000, true);
        await insertChecks(store, host, GATEWAY, outage, outage + 10 * MIN, false);
        await insertChecks(store, host, GATEWAY, outage + 10 * MIN + 30_000, P1 + 5 * H, true);
      } else {
        await insertChecks(store, host, GATEWAY, P0 - 7 * H, P1 + 5 * H, true);
      }
    }
  }
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("loadFleetEvidence", () => {
  it("reads for every client exactly the evidence its own report reads, check results included", async () => {
    const now = P1 + 6 * H;
    const fleet = await loadFleetEvidence(store, P0, P1, now, undefined, BATCH);
    expect(fleet.map((e) => e.client.id)).toEqual(ids);
    // Settings shared by the fleet (zones, profiles, annotations) hold every client's entries; the rest is per client.
    // Rows come in the store's order, which availability does not depend on: compared sorted.
    const sorted = <T>(rows: readonly T[]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    const own = (e: ClientEvidence) => ({
      client: e.client,
      policy: e.policy,
      sites: e.sites,
      maintenance: e.maintenance,
      collectorRuns: e.collectorRuns,
      from: e.from,
      to: e.to,
      hosts: e.hosts.map((h) => ({ host: h.host, runs: sorted(h.runs), samples: sorted(h.samples), events: sorted(h.connectionEvents), checks: sorted(h.checkResults), losses: sorted(h.spoolLosses) })),
    });
    for (const evidence of fleet) {
      expect(own(evidence)).toEqual(own((await loadClientEvidence(store, evidence.client.id, P0, P1, now))!));
    }
    expect((await loadFleetEvidence(store, P0, P1, now)).map(own)).toEqual(fleet.map(own));
    const checks = (clientId: string) => fleet.find((e) => e.client.id === clientId)!.hosts.map((h) => [h.host.hostname, h.checkResults.length]);
    // A healthy client's checks are never read; a failing site's are, around its failures only: the 21 failed results,
    // the 4 before and the 5 after them within two minutes of a failing minute (the last failing minute's own included).
    expect(checks("c00")).toEqual([
      ["h1", 0],
      ["h2", 0],
      ["h3", 0],
    ]);
    const failing = fleet.filter((e) => e.hosts.some((h) => h.checkResults.length > 0)).map((e) => e.client.id);
    expect(failing).toEqual(ids.filter((_, i) => i % 2 === 1));
    expect(checks(ids[2 * BATCH + 1]!)).toEqual([
      ["h1", 21 + 4 + 5],
      ["h2", 21 + 4 + 5],
      ["h3", 0],
    ]);
  });

  it("gives the fleet report each client's own figures", async () => {
    const fleet = await buildFleetReport(ctx, { from: P0, to: P1, hours: "all" });
    expect(fleet.clients.map((c) => c.clientId)).toEqual(ids);
    for (const line of fleet.clients) {
      const own = await buildSlaReport(ctx, { clientId: line.clientId, from: P0, to: P1, hours: "all" });
      expect(line).toMatchObject({ availabilityPct: own.availabilityPct, downSeconds: own.downSeconds, unknownSeconds: own.unknownSeconds, incidentCount: own.incidentCount, costTotal: own.cost.total });
    }
    // The gateway outages are what sets the failing clients apart.
    const affected = fleet.clients.filter((c) => c.availabilityPct !== 100 || c.unknownSeconds > 0).map((c) => c.clientId);
    expect(affected).toEqual(ids.filter((_, i) => i % 2 === 1));
  });
});
