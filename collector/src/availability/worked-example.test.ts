/**
 * The README's worked example, computed from evidence through the public API: if the README's numbers
 * drift from the code, this fails.
 */
import { describe, expect, it } from "vitest";
import {
  downtimeCost,
  groupSiteIncidents,
  hostIncidents,
  hostSilences,
  hostTimeline,
  maintenanceIntervals,
  nominalHoursPerYear,
  scheduledIntervals,
  scopeSla,
  siteOutages,
  siteOutagesOf,
  type BusinessCalendar,
  type HealthSample,
  type HostEvidence,
  type MaintenanceWindow,
} from "./index.js";

const Z = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const H = 60 * MIN;

function samples(from: string, to: string, bootId: string, receivedAt?: (ts: number) => number): HealthSample[] {
  const out: HealthSample[] = [];
  for (let t = Z(from); t <= Z(to); t += 15_000) out.push({ ts: t, bootId, receivedAt: receivedAt ? receivedAt(t) : t + 300 });
  return out;
}

// Acme GmbH, Europe/Berlin, Mon–Fri 08:00–18:00, SLO 99.5%. The week of Mon 1 June 2026 (CEST = UTC+2).
const calendar: BusinessCalendar = {
  timezone: "Europe/Berlin",
  weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "08:00", end: "18:00" }]])),
};
const from = Z("2026-05-31T22:00:00Z");
const to = Z("2026-06-07T22:00:00Z");
// The collector was down Fri 12:00–12:30 local; the agents spooled and backfilled.
const collectorRuns = [
  { start: Z("2026-05-30T00:00:00Z"), end: Z("2026-06-05T10:00:00Z") },
  { start: Z("2026-06-05T10:30:00Z"), end: Z("2026-06-09T00:00:00Z") },
];
const backfill = (ts: number) => (ts >= Z("2026-06-05T10:00:00Z") && ts < Z("2026-06-05T10:30:00Z") ? Z("2026-06-05T10:30:10Z") : ts + 300);
const windows: MaintenanceWindow[] = [
  { id: "patch", kind: "once", scope: { level: "client", id: "acme" }, start: Z("2026-06-04T15:00:00Z"), end: Z("2026-06-04T17:00:00Z"), reason: "patching" },
];

const fs1: HostEvidence = {
  hostId: "fs1",
  enrolledAt: Z("2026-01-01T00:00:00Z"),
  // Crash Tue 10:00 local, back 10:45; rebooted for patches Thu 17:30 inside the maintenance window.
  samples: [
    ...samples("2026-05-31T21:00:00Z", "2026-06-02T08:00:00Z", "A", backfill),
    ...samples("2026-06-02T08:45:00Z", "2026-06-04T15:30:00Z", "B", backfill),
    ...samples("2026-06-04T15:40:00Z", "2026-06-07T23:00:00Z", "C", backfill),
  ],
  connectionEvents: [{ at: Z("2026-06-04T15:30:01Z"), event: "goodbye", reason: "os_reboot" }],
  collectorRuns,
};
const ws1: HostEvidence = {
  hostId: "ws1",
  enrolledAt: Z("2026-01-01T00:00:00Z"),
  // Someone stopped the agent Wed 09:00–11:00 local; the workstation kept running.
  samples: [...samples("2026-05-31T21:00:00Z", "2026-06-03T07:00:00Z", "W", backfill), ...samples("2026-06-03T09:00:00Z", "2026-06-07T23:00:00Z", "W", backfill)],
  connectionEvents: [{ at: Z("2026-06-03T07:00:02Z"), event: "goodbye", reason: "service_stop" }],
  collectorRuns,
};

describe("README worked example", () => {
  const schedule = scheduledIntervals(calendar, from, to);
  const range = { from, to };
  const outages = siteOutages([fs1, ws1].map((h) => ({ hostId: h.hostId, out: hostSilences(h, range) })));
  const timelines = [fs1, ws1].map((h) => ({
    hostId: h.hostId,
    segments: hostTimeline(
      { ...h, maintenance: maintenanceIntervals(windows, { clientId: "acme", siteId: "office", hostId: h.hostId }, from, to), siteOutages: siteOutagesOf(outages, h.hostId) },
      range,
    ),
  }));
  const raw = timelines.flatMap((t) => hostIncidents({ hostId: t.hostId, siteId: "office", segments: t.segments, businessHours: schedule }));
  const { incidents, siteIncidents } = groupSiteIncidents({ siteId: "office", hosts: [{ hostId: "fs1" }, { hostId: "ws1" }], incidents: raw, businessHours: schedule });
  const sla = scopeSla({ sloPct: 99.5, schedule, hosts: timelines, incidents, siteIncidents });

  it("the timeline: one crash, the patch reboot hidden by maintenance, the collector outage invisible", () => {
    expect(outages).toEqual([]);
    expect(incidents).toEqual([
      expect.objectContaining({ id: `fs1@${Z("2026-06-02T08:00:00Z")}`, cause: "crash", durationMs: 45 * MIN, businessMs: 45 * MIN }),
    ]);
    const fsStates = timelines[0]!.segments.map((s) => s.state);
    expect(fsStates).toEqual(["UP", "DOWN", "UP", "MAINTENANCE", "UP"]);
    const wsStates = timelines[1]!.segments.map((s) => ("cause" in s ? `${s.state}:${s.cause}` : s.state));
    expect(wsStates).toEqual(["UP", "UNKNOWN:agent_stopped", "UP", "MAINTENANCE", "UP"]);
  });

  it("the SLA figures", () => {
    const f = sla.figures;
    expect(f.scheduledMs).toBe(100 * H); // 2 hosts × 50 h
    expect(f.excludedMs).toBe(2 * H); // Thu 17:00–18:00 on both
    expect(f.unknownMs + f.unmonitoredMs).toBe(2 * H); // ws1's stopped agent
    expect(f.monitoredMs).toBe(96 * H);
    expect(f.downMs).toBe(45 * MIN);
    expect(f.availabilityPct).toBeCloseTo(99.21875, 10);
    expect(f.coveragePct).toBeCloseTo((96 / 98) * 100, 10);
    expect(f.coverageLow).toBe(false);
    expect(f.errorBudgetMs).toBe(28.8 * MIN);
    expect(f.errorBudgetBurnPct).toBeCloseTo(156.25, 10);
    expect(f.met).toBe(false);
    expect(f.incidentCount).toBe(1);
    expect(f.mttrMs).toBe(45 * MIN);
    expect(f.mtbfMs).toBe(95.25 * H);
    expect(sla.byHost.map((h) => [h.hostId, h.figures.availabilityPct])).toEqual([
      ["fs1", (1 - 0.75 / 49) * 100],
      ["ws1", 100],
    ]);
  });

  it("the cost", () => {
    const c = downtimeCost({
      model: {
        currency: "EUR",
        annualRevenue: 3_000_000,
        operatingHoursPerYear: 2_500,
        itDependenceShare: 0.4,
        employees: 25,
        loadedHourlyCost: 50,
        productivityLossShare: 0.6,
        recoveryCostPerIncident: 300,
        intangiblesShare: 0.1,
      },
      hosts: [
        { hostId: "fs1", share: 1 },
        { hostId: "ws1", share: 0.04 },
      ],
      incidents: incidents.filter((i) => !i.excluded).map((i) => ({ id: i.id, hostId: i.hostId, start: i.start, end: i.end, ...(i.siteIncidentId ? { recoveryKey: i.siteIncidentId } : {}) })),
      businessHours: schedule,
      defaultOperatingHoursPerYear: nominalHoursPerYear(calendar),
    });
    expect(c).toMatchObject({ currency: "EUR", revenue: 360, productivity: 562.5, recovery: 300, penalty: 0, intangible: 122.25, total: 1344.75 });
    expect(c.inputs.defaults).toEqual(["slaPenaltyPerHour", "offHoursFactor"]);
    expect(c.formula).toMatchInlineSnapshot(`
      "cost per hour = annual revenue / operating hours × IT dependence + employees × loaded hourly cost × productivity lost
        = EUR 3,000,000.00 / 2,500 h × 40% + 25 × EUR 50.00 × 60%
        = EUR 480/h + EUR 750/h = EUR 1,230/h
      hours down, each slice × min(1, Σ shares of the hosts down) = 0.75 h in business hours + 0 h outside × 0 = 0.75 h
      revenue = EUR 480/h × 0.75 h = EUR 360.00
      productivity = EUR 750/h × 0.75 h = EUR 562.50
      recovery = 1 incidents × EUR 300.00 = EUR 300.00
      penalty = EUR 0/h × 0.75 h = EUR 0.00
      intangible = 10% × (EUR 360.00 + EUR 562.50 + EUR 300.00 + EUR 0.00) = EUR 122.25
      total = EUR 360.00 + EUR 562.50 + EUR 300.00 + EUR 0.00 + EUR 122.25 = EUR 1,344.75
      (defaults used for: slaPenaltyPerHour, offHoursFactor)"
    `);
  });
});
