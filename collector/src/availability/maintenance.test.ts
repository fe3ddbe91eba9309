import { describe, expect, it } from "vitest";
import { InvalidInputError } from "./errors.js";
import { totalLength } from "./intervals.js";
import {
  appliesTo,
  expandMaintenance,
  maintenanceIntervals,
  maintenanceListProblems,
  maintenanceWindowProblems,
  newMaintenanceWindowProblems,
  type MaintenanceWindow,
  type MonthlyMaintenance,
  type WeeklyMaintenance,
} from "./maintenance.js";

const T = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const site = { level: "site", id: "s1" } as const;
const horizon = { start: T("2026-01-01T00:00:00Z"), end: T("2027-01-01T00:00:00Z") };

const weekly = (over: Partial<WeeklyMaintenance> = {}): WeeklyMaintenance => ({
  id: "w",
  kind: "weekly",
  scope: site,
  timezone: "Europe/Berlin",
  weekday: "sun",
  start: "02:00",
  durationMinutes: 240,
  ...over,
});
const monthly = (on: MonthlyMaintenance["on"], over: Partial<MonthlyMaintenance> = {}): MonthlyMaintenance => ({
  id: "m",
  kind: "monthly",
  scope: site,
  timezone: "UTC",
  on,
  start: "20:00",
  durationMinutes: 60,
  ...over,
});
const starts = (w: MaintenanceWindow, from: string, to: string) => expandMaintenance(w, T(from), T(to)).map((i) => new Date(i.start).toISOString().slice(0, 16));

describe("expandMaintenance", () => {
  it("one-off windows are clipped to the period", () => {
    const w: MaintenanceWindow = { id: "o", kind: "once", scope: site, start: T("2026-05-01T10:00:00Z"), end: T("2026-05-01T14:00:00Z") };
    expect(expandMaintenance(w, T("2026-05-01T12:00:00Z"), T("2026-05-02T00:00:00Z"))).toEqual([{ start: T("2026-05-01T12:00:00Z"), end: T("2026-05-01T14:00:00Z") }]);
  });

  it("weekly Sunday 02:00 for 4 h in Berlin, across both DST changes", () => {
    const w = weekly();
    expect(expandMaintenance(w, T("2026-03-20T00:00:00Z"), T("2026-04-06T00:00:00Z"))).toEqual([
      { start: T("2026-03-22T01:00:00Z"), end: T("2026-03-22T05:00:00Z") }, // 02:00 CET
      { start: T("2026-03-29T01:00:00Z"), end: T("2026-03-29T05:00:00Z") }, // 02:00 does not exist: 03:00 CEST
      { start: T("2026-04-05T00:00:00Z"), end: T("2026-04-05T04:00:00Z") }, // 02:00 CEST
    ]);
    // Autumn: 02:00 happens twice; the first (CEST) is meant. 4 real hours later the wall shows 05:00 CET.
    expect(expandMaintenance(w, T("2026-10-24T00:00:00Z"), T("2026-10-26T00:00:00Z"))).toEqual([{ start: T("2026-10-25T00:00:00Z"), end: T("2026-10-25T04:00:00Z") }]);
  });

  it("an occurrence that began before the period reaches into it", () => {
    const w = weekly({ timezone: "UTC", weekday: "sat", start: "23:00" });
    expect(expandMaintenance(w, T("2026-06-07T00:00:00Z"), T("2026-06-08T00:00:00Z"))).toEqual([{ start: T("2026-06-07T00:00:00Z"), end: T("2026-06-07T03:00:00Z") }]);
  });

  it("weekly windows respect firstDate and lastDate", () => {
    const w = weekly({ timezone: "UTC", firstDate: "2026-06-14", lastDate: "2026-06-28" });
    expect(starts(w, "2026-06-01T00:00:00Z", "2026-08-01T00:00:00Z")).toEqual(["2026-06-14T02:00", "2026-06-21T02:00", "2026-06-28T02:00"]);
  });

  it("monthly on a day of the month; a day the month lacks means its last day", () => {
    expect(starts(monthly({ day: 15 }), "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z")).toEqual(["2026-01-15T20:00", "2026-02-15T20:00", "2026-03-15T20:00"]);
    expect(starts(monthly({ day: 31 }), "2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z")).toEqual(["2026-01-31T20:00", "2026-02-28T20:00", "2026-03-31T20:00", "2026-04-30T20:00"]);
  });

  it("monthly on the nth weekday: Patch Tuesday, the last Friday, a 5th Monday only where there is one", () => {
    expect(starts(monthly({ nth: 2, weekday: "tue" }), "2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z")).toEqual([
      "2026-01-13T20:00",
      "2026-02-10T20:00",
      "2026-03-10T20:00",
      "2026-04-14T20:00",
    ]);
    expect(starts(monthly({ nth: -1, weekday: "fri" }), "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z")).toEqual(["2026-01-30T20:00", "2026-02-27T20:00"]);
    expect(starts(monthly({ nth: 5, weekday: "mon" }), "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z")).toEqual(["2026-03-30T20:00"]);
  });

  it("monthly in New York: 2nd Sunday 01:30 for 3 h on the spring change day lasts 3 real hours", () => {
    const w = monthly({ nth: 2, weekday: "sun" }, { timezone: "America/New_York", start: "01:30", durationMinutes: 180 });
    expect(expandMaintenance(w, T("2026-03-01T00:00:00Z"), T("2026-03-31T00:00:00Z"))).toEqual([{ start: T("2026-03-08T06:30:00Z"), end: T("2026-03-08T09:30:00Z") }]);
  });
});

describe("scopes", () => {
  const target = { clientId: "c1", siteId: "s1", hostId: "h1" };

  it("a window applies through the host, its site or its client", () => {
    expect(appliesTo(weekly({ scope: { level: "client", id: "c1" } }), target)).toBe(true);
    expect(appliesTo(weekly({ scope: { level: "site", id: "s1" } }), target)).toBe(true);
    expect(appliesTo(weekly({ scope: { level: "host", id: "h1" } }), target)).toBe(true);
    expect(appliesTo(weekly({ scope: { level: "host", id: "h2" } }), target)).toBe(false);
    expect(appliesTo(weekly({ scope: { level: "site", id: "c1" } }), target)).toBe(false);
  });

  it("maintenanceIntervals unions the windows that apply", () => {
    const windows: MaintenanceWindow[] = [
      { id: "a", kind: "once", scope: { level: "client", id: "c1" }, start: T("2026-06-01T10:00:00Z"), end: T("2026-06-01T12:00:00Z") },
      { id: "b", kind: "once", scope: { level: "host", id: "h1" }, start: T("2026-06-01T11:00:00Z"), end: T("2026-06-01T13:00:00Z") },
      { id: "c", kind: "once", scope: { level: "host", id: "h2" }, start: T("2026-06-01T14:00:00Z"), end: T("2026-06-01T15:00:00Z") },
    ];
    expect(maintenanceIntervals(windows, target, T("2026-06-01T00:00:00Z"), T("2026-06-02T00:00:00Z"))).toEqual([{ start: T("2026-06-01T10:00:00Z"), end: T("2026-06-01T13:00:00Z") }]);
    expect(totalLength(maintenanceIntervals([weekly()], target, T("2026-06-01T00:00:00Z"), T("2026-07-01T00:00:00Z")))).toBe(4 * 4 * H);
  });
});

describe("maintenance validation", () => {
  it("names the field of an inverted one-off window", () => {
    expect(maintenanceWindowProblems({ id: "o", kind: "once", scope: site, start: 2000, end: 1000 })).toEqual([
      { field: "end", problem: "must be after start (the window is inverted or empty)" },
    ]);
  });

  it("names bad recurring fields", () => {
    const fields = (w: unknown) => maintenanceWindowProblems(w).map((p) => p.field);
    expect(fields({ ...weekly(), timezone: "Nope/Nope" })).toEqual(["timezone"]);
    expect(fields({ ...weekly(), weekday: "sunday" })).toEqual(["weekday"]);
    expect(fields({ ...weekly(), start: "2am" })).toEqual(["start"]);
    expect(fields({ ...weekly(), durationMinutes: 0 })).toEqual(["durationMinutes"]);
    expect(fields({ ...weekly(), durationMinutes: 7 * 1440 + 1 })).toEqual(["durationMinutes"]);
    expect(fields({ ...weekly(), firstDate: "2026-06-10", lastDate: "2026-06-01" })).toEqual(["lastDate"]);
    expect(fields(monthly({ day: 32 }))).toEqual(["on.day"]);
    expect(fields(monthly({ nth: 6 as 5, weekday: "mon" }))).toEqual(["on.nth"]);
    expect(fields({ ...monthly({ day: 1 }), durationMinutes: 29 * 1440 })).toEqual(["durationMinutes"]);
    expect(fields({ id: "", kind: "yearly", scope: { level: "planet", id: "" } })).toEqual(["id", "scope.level", "scope.id", "kind"]);
  });

  it("refuses overlapping windows in the same scope, naming the later one; other scopes may overlap", () => {
    const a: MaintenanceWindow = { id: "a", kind: "once", scope: site, start: T("2026-06-07T01:00:00Z"), end: T("2026-06-07T03:00:00Z") };
    const b = weekly({ id: "b", timezone: "UTC" }); // Sundays 02:00–06:00 UTC; 2026-06-07 is a Sunday
    const p = maintenanceListProblems([a, b], horizon);
    expect(p).toEqual([{ field: "[1].start", problem: 'overlaps maintenance window "a" in the same scope (site:s1) at 2026-06-07T02:00:00.000Z' }]);
    expect(maintenanceListProblems([a, { ...b, scope: { level: "host", id: "h1" } }], horizon)).toEqual([]);
    // Touching is not overlapping.
    expect(maintenanceListProblems([a, { ...a, id: "a2", start: a.end, end: a.end + H }], horizon)).toEqual([]);
  });

  it("checks a new window against the existing ones (recurring against recurring too)", () => {
    const existing = [monthly({ nth: 2, weekday: "tue" }, { id: "patch" })];
    const clash = weekly({ id: "new", timezone: "UTC", weekday: "tue", start: "20:30", durationMinutes: 30 });
    expect(newMaintenanceWindowProblems(clash, existing, horizon)).toEqual([
      { field: "start", problem: 'overlaps maintenance window "patch" in the same scope (site:s1) at 2026-01-13T20:30:00.000Z' },
    ]);
    expect(newMaintenanceWindowProblems({ ...clash, weekday: "wed" }, existing, horizon)).toEqual([]);
    // Editing a window does not clash with its own earlier version.
    expect(newMaintenanceWindowProblems({ ...existing[0]!, durationMinutes: 90 }, existing, horizon)).toEqual([]);
    expect(newMaintenanceWindowProblems(clash, existing, { start: 0, end: Infinity })[0]!.field).toBe("horizon");
  });

  it("expanding an invalid window throws InvalidInputError", () => {
    expect(() => expandMaintenance({ ...weekly(), durationMinutes: -5 }, 0, 1)).toThrow(InvalidInputError);
  });
});

describe("one-off overlaps outside the horizon", () => {
  it("are still found", () => {
    const a: MaintenanceWindow = { id: "a", kind: "once", scope: site, start: T("2030-01-01T00:00:00Z"), end: T("2030-01-01T02:00:00Z") };
    const b: MaintenanceWindow = { ...a, id: "b", start: T("2030-01-01T01:00:00Z") };
    expect(maintenanceListProblems([a, b], horizon)).toHaveLength(1);
    // 2030-01-06 is a Sunday: the weekly window (Sundays 02:00–06:00 Berlin) is compared where the one-off lies.
    const c: MaintenanceWindow = { ...a, id: "c", start: T("2030-01-06T02:00:00Z"), end: T("2030-01-06T03:00:00Z") };
    expect(newMaintenanceWindowProblems(c, [weekly()], horizon)).toHaveLength(1);
  });
});
