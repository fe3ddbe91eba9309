import { describe, expect, it } from "vitest";
import { lastCompletedMonth, lastCompletedPeriod, lastCompletedQuarter } from "./periods.js";

const T = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const span = (p: { from: number; to: number }) => [iso(p.from), iso(p.to)];
const H = 3_600_000;
const D = 24 * H;

describe("lastCompletedMonth", () => {
  it("is the previous local month, with its DST change inside (Berlin, spring)", () => {
    // 2026-04-01 05:00 in Berlin (CEST).
    const p = lastCompletedMonth(T("2026-04-01T03:00:00Z"), "Europe/Berlin");
    expect(span(p)).toEqual(["2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z"]);
    expect(p.to - p.from).toBe(31 * D - H);
    expect(p).toMatchObject({ cadence: "monthly", label: "March 2026", slug: "2026-03", timezone: "Europe/Berlin" });
  });

  it("turns over exactly at local midnight", () => {
    expect(lastCompletedMonth(T("2026-03-31T22:00:00Z"), "Europe/Berlin").label).toBe("March 2026");
    expect(lastCompletedMonth(T("2026-03-31T21:59:59.999Z"), "Europe/Berlin").label).toBe("February 2026");
  });

  it("crosses the year: December is last month on New Year's night", () => {
    const p = lastCompletedMonth(T("2025-12-31T23:30:00Z"), "Europe/Berlin");
    expect(p).toMatchObject({ label: "December 2025", slug: "2025-12" });
    expect(span(p)).toEqual(["2025-11-30T23:00:00.000Z", "2025-12-31T23:00:00.000Z"]);
  });

  it("gets the autumn change right west of UTC (New York, month ends on the DST day)", () => {
    // DST ends 2026-11-01 at 02:00; midnight that day is still EDT (UTC−4).
    const p = lastCompletedMonth(T("2026-11-02T12:00:00Z"), "America/New_York");
    expect(span(p)).toEqual(["2026-10-01T04:00:00.000Z", "2026-11-01T04:00:00.000Z"]);
    const nov = lastCompletedMonth(T("2026-12-01T05:00:00Z"), "America/New_York");
    expect(span(nov)).toEqual(["2026-11-01T04:00:00.000Z", "2026-12-01T05:00:00.000Z"]);
    expect(nov.to - nov.from).toBe(30 * D + H);
  });

  it("reads the same instant per zone", () => {
    const instant = T("2026-04-01T02:00:00Z");
    expect(lastCompletedMonth(instant, "Europe/Berlin").label).toBe("March 2026");
    expect(lastCompletedMonth(instant, "America/New_York").label).toBe("February 2026");
    expect(lastCompletedMonth(instant, "UTC").label).toBe("March 2026");
    expect(lastCompletedMonth(T("2026-06-30T12:30:00Z"), "Pacific/Auckland").label).toBe("June 2026");
    expect(lastCompletedMonth(T("2026-06-30T12:30:00Z"), "UTC").label).toBe("May 2026");
  });

  it("knows leap Februaries", () => {
    const p = lastCompletedMonth(T("2028-03-15T00:00:00Z"), "UTC");
    expect(span(p)).toEqual(["2028-02-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z"]);
    expect(p.to - p.from).toBe(29 * D);
  });
});

describe("lastCompletedQuarter", () => {
  it("is Q1 at the start of April (Berlin)", () => {
    const p = lastCompletedQuarter(T("2026-04-01T03:00:00Z"), "Europe/Berlin");
    expect(span(p)).toEqual(["2025-12-31T23:00:00.000Z", "2026-03-31T22:00:00.000Z"]);
    expect(p).toMatchObject({ cadence: "quarterly", label: "Q1 2026", slug: "2026-q1" });
  });

  it("is the previous quarter anywhere inside the current one", () => {
    for (const at of ["2026-07-01T00:00:00+02:00", "2026-08-15T12:00:00Z", "2026-09-30T21:59:59Z"]) {
      const p = lastCompletedQuarter(T(at), "Europe/Berlin");
      expect(p.label).toBe("Q2 2026");
      expect(span(p)).toEqual(["2026-03-31T22:00:00.000Z", "2026-06-30T22:00:00.000Z"]);
    }
    expect(lastCompletedQuarter(T("2026-09-30T22:00:00Z"), "Europe/Berlin").label).toBe("Q3 2026");
  });

  it("crosses the year: Q4 of last year in January, with the autumn change inside", () => {
    const p = lastCompletedQuarter(T("2027-01-10T00:00:00Z"), "Europe/Berlin");
    expect(p).toMatchObject({ label: "Q4 2026", slug: "2026-q4" });
    expect(span(p)).toEqual(["2026-09-30T22:00:00.000Z", "2026-12-31T23:00:00.000Z"]);
    expect(p.to - p.from).toBe(92 * D + H);
  });

  it("east of UTC: Auckland's Q2 starts in daylight time and ends in standard time", () => {
    // 2026-07-01 00:30 NZST; NZ daylight time ended 2026-04-05, so 1 April was still UTC+13.
    const p = lastCompletedQuarter(T("2026-06-30T12:30:00Z"), "Pacific/Auckland");
    expect(p.label).toBe("Q2 2026");
    expect(span(p)).toEqual(["2026-03-31T11:00:00.000Z", "2026-06-30T12:00:00.000Z"]);
  });

  it("lastCompletedPeriod picks by cadence", () => {
    const now = T("2026-05-20T10:00:00Z");
    expect(lastCompletedPeriod("monthly", now, "UTC").label).toBe("April 2026");
    expect(lastCompletedPeriod("quarterly", now, "UTC").label).toBe("Q1 2026");
  });
});
