import { describe, expect, it } from "vitest";
import { InvalidInputError } from "./errors.js";
import type { Incident } from "./incidents.js";
import type { Segment } from "./segments.js";
import { scopeSla, slaFigures, slaTotals, sloProblems, type SlaTotals } from "./sla.js";

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const MONTH = 30 * DAY;
const zero: SlaTotals = { scheduledMs: 0, maintenanceMs: 0, excludedIncidentMs: 0, unknownMs: 0, unmonitoredMs: 0, downMs: 0, degradedMs: 0, upMs: 0 };
const upMonth: SlaTotals = { ...zero, scheduledMs: MONTH, upMs: MONTH };

describe("error budget: the nines over a 30-day month", () => {
  it.each([
    [99, 25_920_000], // 7.2 h
    [99.5, 12_960_000], // 3.6 h
    [99.9, 2_592_000], // 43.2 min
    [99.95, 1_296_000], // 21.6 min
    [99.99, 259_200], // 4.32 min
    [99.999, 25_920], // 25.92 s
    [99.9999, 2_592], // 2.592 s
    [100, 0],
    [0, MONTH],
  ])("SLO %s%% allows %s ms", (slo, budget) => {
    expect(slaFigures(upMonth, slo, []).errorBudgetMs).toBe(budget);
  });

  it("99.9% of a 30-day month is exactly 43.2 minutes (2,592,000 ms), and spending it exactly still meets the SLO", () => {
    const f = slaFigures({ ...upMonth, upMs: MONTH - 2_592_000, downMs: 2_592_000 }, 99.9, []);
    expect(f.errorBudgetMs).toBe(2_592_000);
    expect(f.availability).toBe(0.999);
    expect(f.met).toBe(true);
    expect(f.errorBudgetBurn).toBe(1);
    expect(f.errorBudgetRemainingMs).toBe(0);
    const over = slaFigures({ ...upMonth, upMs: MONTH - 2_592_001, downMs: 2_592_001 }, 99.9, []);
    expect(over.met).toBe(false);
    expect(over.errorBudgetRemainingMs).toBe(-1);
  });
});

describe("SLA formulas against a hand-computed case", () => {
  // S = 100 h; E = 10 h maintenance; U = 3 h unknown + 2 h unmonitored; D = 1 h; degraded 4 h; up 80 h.
  const totals: SlaTotals = { scheduledMs: 100 * H, maintenanceMs: 10 * H, excludedIncidentMs: 0, unknownMs: 3 * H, unmonitoredMs: 2 * H, downMs: 1 * H, degradedMs: 4 * H, upMs: 80 * H };
  const incidents = [
    { id: "1", start: 0, end: 20 * MIN, durationMs: 20 * MIN, cause: "crash" as const, hostIds: ["h"], detectedAt: 0, acknowledgedAt: 5 * MIN },
    { id: "2", start: 0, end: 30 * MIN, durationMs: 30 * MIN, cause: "reboot" as const, hostIds: ["h"], detectedAt: 0, acknowledgedAt: 15 * MIN },
    { id: "3", start: 0, end: 10 * MIN, durationMs: 10 * MIN, cause: "crash" as const, hostIds: ["h"] },
  ];
  const f = slaFigures(totals, 99.5, incidents);

  it("T = S − E − U; availability = 1 − D/T; coverage = T/(S − E), flagged under 95%", () => {
    expect(f.excludedMs).toBe(10 * H);
    expect(f.monitoredMs).toBe(85 * H);
    expect(f.availability).toBeCloseTo(1 - 1 / 85, 12);
    expect(f.availabilityPct).toBeCloseTo(98.8235294117647, 10);
    expect(f.coverage).toBeCloseTo(85 / 90, 12);
    expect(f.coverageLow).toBe(true);
    expect(f.met).toBe(false);
  });

  it("budget = (1 − SLO) × T; burn = D / budget", () => {
    expect(f.errorBudgetMs).toBe(1_530_000); // 0.5% of 85 h = 0.425 h
    expect(f.errorBudgetBurn).toBeCloseTo(3_600_000 / 1_530_000, 12);
    expect(f.errorBudgetBurnPct).toBeCloseTo(235.29411764705884, 9);
    expect(f.errorBudgetRemainingMs).toBe(1_530_000 - 3_600_000);
  });

  it("MTTR = mean duration; MTBF = (T − D)/incidents; MTTA = mean(ack − detection) over acknowledged incidents", () => {
    expect(f.incidentCount).toBe(3);
    expect(f.mttrMs).toBe(20 * MIN);
    expect(f.mtbfMs).toBe(28 * H);
    expect(f.mttaMs).toBe(10 * MIN);
    expect(f.acknowledgedCount).toBe(2);
  });
});

describe("zero divisions give null, never NaN", () => {
  it("nothing scheduled", () => {
    const f = slaFigures(zero, 99.9, []);
    expect(f).toMatchObject({ availability: null, availabilityPct: null, met: null, coverage: null, coveragePct: null, coverageLow: false, errorBudgetMs: 0, errorBudgetBurn: null, mttrMs: null, mtbfMs: null, mttaMs: null });
    expect(JSON.stringify(f)).not.toMatch(/NaN|Infinity/);
  });

  it("scheduled but no evidence at all: availability null, coverage 0 and flagged", () => {
    const f = slaFigures({ ...zero, scheduledMs: DAY, unknownMs: DAY }, 99.9, []);
    expect(f).toMatchObject({ availability: null, coverage: 0, coverageLow: true, errorBudgetBurn: null });
  });

  it("all maintenance: S − E = 0, coverage null", () => {
    expect(slaFigures({ ...zero, scheduledMs: DAY, maintenanceMs: DAY }, 99.9, []).coverage).toBeNull();
  });

  it("a 100% SLO has no budget: burn is null; met only without downtime", () => {
    expect(slaFigures(upMonth, 100, [])).toMatchObject({ errorBudgetMs: 0, errorBudgetBurn: null, met: true, availability: 1 });
    expect(slaFigures({ ...upMonth, upMs: MONTH - 1, downMs: 1 }, 100, []).met).toBe(false);
  });

  it("refuses an SLO outside 0–100 or with more than 4 decimals", () => {
    expect(sloProblems(100.1)[0]!.field).toBe("sloPct");
    expect(sloProblems(-1)[0]!.problem).toBe("must not be negative");
    expect(sloProblems(99.99999)[0]!.problem).toMatch(/4 decimal/);
    expect(sloProblems(99.9999)).toEqual([]);
    expect(() => slaFigures(upMonth, Number.NaN, [])).toThrow(InvalidInputError);
  });
});

describe("totals from a timeline", () => {
  const segments: Segment[] = [
    { start: 0, end: 10 * H, state: "UP" },
    { start: 10 * H, end: 11 * H, state: "DOWN", cause: "crash" },
    { start: 11 * H, end: 12 * H, state: "MAINTENANCE" },
    { start: 12 * H, end: 13 * H, state: "UNKNOWN", cause: "agent_stopped" },
    { start: 13 * H, end: 14 * H, state: "UNMONITORED", cause: "collector_down" },
    { start: 14 * H, end: 15 * H, state: "DEGRADED", cause: "check_failed" },
    { start: 15 * H, end: 16 * H, state: "DOWN", cause: "reboot" },
    { start: 16 * H, end: 20 * H, state: "UP" },
  ];

  it("counts only scheduled time; scheduled time beyond the timeline counts as unmonitored", () => {
    const t = slaTotals(segments, [{ start: 9 * H, end: 17 * H }, { start: 19 * H, end: 22 * H }]);
    expect(t).toEqual({ scheduledMs: 11 * H, maintenanceMs: H, excludedIncidentMs: 0, unknownMs: H, unmonitoredMs: H + 2 * H, downMs: 2 * H, degradedMs: H, upMs: 3 * H });
  });

  it("an excluded incident's DOWN time moves from D to E", () => {
    const t = slaTotals(segments, [{ start: 0, end: 20 * H }], [{ start: 15 * H, end: 16 * H }]);
    expect(t.downMs).toBe(H);
    expect(t.excludedIncidentMs).toBe(H);
    const f = slaFigures(t, 99, []);
    expect(f.excludedMs).toBe(2 * H);
    expect(f.monitoredMs).toBe(20 * H - 2 * H - 2 * H);
  });
});

describe("scope SLA", () => {
  const host = (down: [number, number][]): Segment[] => {
    const out: Segment[] = [];
    let t = 0;
    for (const [a, b] of down) {
      if (a > t) out.push({ start: t, end: a, state: "UP" });
      out.push({ start: a, end: b, state: "DOWN", cause: "power_or_network" });
      t = b;
    }
    if (t < DAY) out.push({ start: t, end: DAY, state: "UP" });
    return out;
  };
  const incident = (hostId: string, start: number, end: number, siteIncidentId?: string): Incident => ({
    id: `${hostId}@${start}`,
    hostId,
    siteId: "s",
    start,
    end,
    durationMs: end - start,
    businessMs: end - start,
    cause: "power_or_network",
    startClipped: false,
    endClipped: false,
    excluded: false,
    ...(siteIncidentId ? { siteIncidentId } : {}),
  });

  it("adds host time up, and counts a site incident once", () => {
    const incidents = [incident("a", 10 * H, 11 * H, "site:s@36000000"), incident("b", 10 * H, 12 * H, "site:s@36000000"), incident("b", 20 * H, 21 * H)];
    const site = { id: "site:s@36000000", siteId: "s", start: 10 * H, end: 12 * H, durationMs: 2 * H, businessMs: 2 * H, cause: "power_or_network" as const, hostIds: ["a", "b"], incidentIds: ["a@36000000", "b@36000000"], excluded: false };
    const out = scopeSla({
      sloPct: 99,
      schedule: [{ start: 0, end: DAY }],
      hosts: [
        { hostId: "b", segments: host([[10 * H, 12 * H], [20 * H, 21 * H]]) },
        { hostId: "a", segments: host([[10 * H, 11 * H]]) },
      ],
      incidents,
      siteIncidents: [site],
    });
    expect(out.figures.scheduledMs).toBe(2 * DAY);
    expect(out.figures.downMs).toBe(4 * H);
    expect(out.figures.availability).toBeCloseTo(1 - 4 / 48, 12);
    expect(out.figures.incidentCount).toBe(2);
    expect(out.figures.mttrMs).toBe(1.5 * H);
    expect(out.byHost.map((h) => [h.hostId, h.figures.downMs, h.figures.incidentCount])).toEqual([
      ["a", H, 1],
      ["b", 3 * H, 2],
    ]);
  });

  it("a business-hours report counts only incidents that touch business hours", () => {
    const out = scopeSla({
      sloPct: 99.9,
      schedule: [{ start: 8 * H, end: 18 * H }],
      hosts: [{ hostId: "a", segments: host([[2 * H, 3 * H], [9 * H, 10 * H]]) }],
      incidents: [incident("a", 2 * H, 3 * H), incident("a", 9 * H, 10 * H)],
    });
    expect(out.figures).toMatchObject({ scheduledMs: 10 * H, downMs: H, incidentCount: 1, mtbfMs: 9 * H });
  });

  it("refuses a host listed twice", () => {
    expect(() => scopeSla({ sloPct: 99, schedule: [], hosts: [{ hostId: "a", segments: [] }, { hostId: "a", segments: [] }] })).toThrow(/hosts\[1\]\.hostId/);
  });
});
