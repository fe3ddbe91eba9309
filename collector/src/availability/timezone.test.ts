import { describe, expect, it } from "vitest";
import { addDays, daysInMonth, formatLocalDate, parseLocalDate, parseTimeOfDay, weekdayOf } from "./civil-time.js";
import { isValidTimeZone, localDateOf, localToUtc, offsetAt, timeZoneProblems, utcToLocal } from "./timezone.js";

const T = (iso: string) => Date.parse(iso);
const H = 3_600_000;

describe("civil time", () => {
  it("parses real dates only", () => {
    expect(parseLocalDate("2026-02-28")).toEqual({ year: 2026, month: 2, day: 28 });
    expect(parseLocalDate("2026-02-29")).toBeNull();
    expect(parseLocalDate("2028-02-29")).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate("2026-13-01")).toBeNull();
    expect(parseLocalDate("2026-1-01")).toBeNull();
    expect(parseLocalDate(20260101)).toBeNull();
  });

  it("adds days across months and years, and knows weekdays", () => {
    expect(formatLocalDate(addDays({ year: 2026, month: 12, day: 31 }, 1))).toBe("2027-01-01");
    expect(formatLocalDate(addDays({ year: 2026, month: 3, day: 1 }, -1))).toBe("2026-02-28");
    expect(weekdayOf({ year: 2026, month: 3, day: 29 })).toBe("sun");
    expect(weekdayOf({ year: 1970, month: 1, day: 1 })).toBe("thu");
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 12)).toBe(31);
    expect(daysInMonth(2026, 4)).toBe(30);
  });

  it("parses times of day; 24:00 only as an end", () => {
    expect(parseTimeOfDay("08:30")).toBe(510);
    expect(parseTimeOfDay("24:00")).toBeNull();
    expect(parseTimeOfDay("24:00", true)).toBe(1440);
    expect(parseTimeOfDay("24:01", true)).toBeNull();
    expect(parseTimeOfDay("8:30")).toBeNull();
    expect(parseTimeOfDay("23:60")).toBeNull();
  });
});

describe("time zones", () => {
  it("validates IANA names", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Etc/GMT+5")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("+01:00")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
    expect(timeZoneProblems("Europe/Berln", "client.timezone")).toEqual([
      { field: "client.timezone", problem: expect.stringContaining("unknown time zone") as string },
    ]);
    expect(timeZoneProblems("Europe/Berlin")).toEqual([]);
  });

  it("knows offsets on both sides of Berlin's changes", () => {
    expect(offsetAt("Europe/Berlin", T("2026-03-29T00:59:59Z"))).toBe(1 * H);
    expect(offsetAt("Europe/Berlin", T("2026-03-29T01:00:00Z"))).toBe(2 * H);
    expect(offsetAt("Europe/Berlin", T("2026-10-25T00:59:59Z"))).toBe(2 * H);
    expect(offsetAt("Europe/Berlin", T("2026-10-25T01:00:00Z"))).toBe(1 * H);
    expect(offsetAt("Asia/Kathmandu", T("2026-06-01T00:00:00Z"))).toBe(5.75 * H);
  });

  it("Berlin spring 2026-03-29: a time in the gap moves forward by the gap", () => {
    const z = "Europe/Berlin";
    expect(localToUtc({ year: 2026, month: 3, day: 29, hour: 1, minute: 59 }, z)).toBe(T("2026-03-29T00:59:00Z"));
    expect(localToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 0 }, z)).toBe(T("2026-03-29T01:00:00Z"));
    expect(localToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, z)).toBe(T("2026-03-29T01:30:00Z"));
    expect(utcToLocal(T("2026-03-29T01:30:00Z"), z)).toMatchObject({ hour: 3, minute: 30 });
    expect(localToUtc({ year: 2026, month: 3, day: 29, hour: 3, minute: 0 }, z)).toBe(T("2026-03-29T01:00:00Z"));
  });

  it("Berlin autumn 2026-10-25: a repeated time means its first occurrence", () => {
    const z = "Europe/Berlin";
    expect(localToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, z)).toBe(T("2026-10-25T00:30:00Z"));
    expect(localToUtc({ year: 2026, month: 10, day: 25, hour: 1, minute: 59 }, z)).toBe(T("2026-10-24T23:59:00Z"));
    expect(localToUtc({ year: 2026, month: 10, day: 25, hour: 3, minute: 0 }, z)).toBe(T("2026-10-25T02:00:00Z"));
    // Both instants show 02:30 on the wall.
    expect(utcToLocal(T("2026-10-25T00:30:00Z"), z)).toMatchObject({ hour: 2, minute: 30 });
    expect(utcToLocal(T("2026-10-25T01:30:00Z"), z)).toMatchObject({ hour: 2, minute: 30 });
  });

  it("America/New_York: spring 2026-03-08 and autumn 2026-11-01", () => {
    const z = "America/New_York";
    expect(localToUtc({ year: 2026, month: 3, day: 8, hour: 1, minute: 59 }, z)).toBe(T("2026-03-08T06:59:00Z"));
    expect(localToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, z)).toBe(T("2026-03-08T07:30:00Z"));
    expect(utcToLocal(T("2026-03-08T07:30:00Z"), z)).toMatchObject({ hour: 3, minute: 30 });
    expect(localToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, z)).toBe(T("2026-11-01T05:30:00Z"));
    expect(localToUtc({ year: 2026, month: 11, day: 1, hour: 2, minute: 0 }, z)).toBe(T("2026-11-01T07:00:00Z"));
  });

  it("southern hemisphere and half-hour zones", () => {
    // Sydney: DST ends 2026-04-05 03:00 AEDT → 02:00 AEST; 02:30 happens twice, first is AEDT.
    expect(localToUtc({ year: 2026, month: 4, day: 5, hour: 2, minute: 30 }, "Australia/Sydney")).toBe(T("2026-04-04T15:30:00Z"));
    // Lord Howe shifts by only 30 minutes.
    expect(offsetAt("Australia/Lord_Howe", T("2026-01-15T00:00:00Z"))).toBe(11 * H);
    expect(offsetAt("Australia/Lord_Howe", T("2026-07-15T00:00:00Z"))).toBe(10.5 * H);
    expect(localToUtc({ year: 2026, month: 6, day: 1, hour: 0, minute: 0 }, "Asia/Kolkata")).toBe(T("2026-05-31T18:30:00Z"));
  });

  it("round-trips every hour of 2026 outside the gaps", () => {
    for (const zone of ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Tokyo", "UTC"]) {
      for (let t = T("2026-01-01T00:00:00Z"); t < T("2027-01-01T00:00:00Z"); t += 3 * H + 17 * 60_000) {
        const local = utcToLocal(t, zone);
        const back = localToUtc(local, zone);
        // In the autumn overlap the second occurrence maps back to the first, one hour earlier.
        expect([0, -H]).toContain(back - t);
        if (back !== t) expect(offsetAt(zone, back)).toBeGreaterThan(offsetAt(zone, t));
      }
    }
  });

  it("gives the local date of an instant", () => {
    expect(formatLocalDate(localDateOf(T("2026-03-28T23:30:00Z"), "Europe/Berlin"))).toBe("2026-03-29");
    expect(formatLocalDate(localDateOf(T("2026-03-29T03:30:00Z"), "America/New_York"))).toBe("2026-03-28");
  });
});
