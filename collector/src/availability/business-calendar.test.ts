import { describe, expect, it } from "vitest";
import { assertBusinessCalendar, businessCalendarProblems, nominalHoursPerYear, scheduledIntervals, weeklyHours, type BusinessCalendar } from "./business-calendar.js";
import { InvalidInputError } from "./errors.js";
import { totalLength } from "./intervals.js";

const T = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const office = [{ start: "08:00", end: "18:00" }];
const weekdays = (zone: string, windows = office, holidays: string[] = []): BusinessCalendar => ({
  timezone: zone,
  weekly: { mon: windows, tue: windows, wed: windows, thu: windows, fri: windows },
  holidays,
});

describe("scheduledIntervals", () => {
  it("24x7 is the whole period", () => {
    expect(scheduledIntervals("24x7", 1000, 5000)).toEqual([{ start: 1000, end: 5000 }]);
    expect(scheduledIntervals("24x7", 5000, 5000)).toEqual([]);
  });

  it("Mon–Fri 08:00–18:00 in Berlin, a winter week", () => {
    const cal = weekdays("Europe/Berlin");
    const s = scheduledIntervals(cal, T("2026-03-22T23:00:00Z"), T("2026-03-29T22:00:00Z"));
    expect(s).toHaveLength(5);
    expect(s[0]).toEqual({ start: T("2026-03-23T07:00:00Z"), end: T("2026-03-23T17:00:00Z") });
    expect(s[4]).toEqual({ start: T("2026-03-27T07:00:00Z"), end: T("2026-03-27T17:00:00Z") });
    expect(totalLength(s)).toBe(50 * H);
  });

  it("Berlin after the spring change: the same local hours are one hour earlier in UTC", () => {
    const s = scheduledIntervals(weekdays("Europe/Berlin"), T("2026-03-30T00:00:00Z"), T("2026-03-31T00:00:00Z"));
    expect(s).toEqual([{ start: T("2026-03-30T06:00:00Z"), end: T("2026-03-30T16:00:00Z") }]);
  });

  it("an overnight window across Berlin's spring change is 7 real hours, across the autumn change 9", () => {
    const cal: BusinessCalendar = { timezone: "Europe/Berlin", weekly: { sat: [{ start: "22:00", end: "06:00" }] } };
    const spring = scheduledIntervals(cal, T("2026-03-28T00:00:00Z"), T("2026-03-30T00:00:00Z"));
    expect(spring).toEqual([{ start: T("2026-03-28T21:00:00Z"), end: T("2026-03-29T04:00:00Z") }]);
    expect(totalLength(spring)).toBe(7 * H);
    const autumn = scheduledIntervals(cal, T("2026-10-24T00:00:00Z"), T("2026-10-26T00:00:00Z"));
    expect(autumn).toEqual([{ start: T("2026-10-24T20:00:00Z"), end: T("2026-10-25T05:00:00Z") }]);
    expect(totalLength(autumn)).toBe(9 * H);
  });

  it("a window inside the spring gap has no length; the same window in autumn lasts two hours", () => {
    const cal: BusinessCalendar = { timezone: "Europe/Berlin", weekly: { sun: [{ start: "02:00", end: "03:00" }] } };
    expect(scheduledIntervals(cal, T("2026-03-28T00:00:00Z"), T("2026-03-30T00:00:00Z"))).toEqual([]);
    expect(scheduledIntervals(cal, T("2026-10-24T00:00:00Z"), T("2026-10-26T00:00:00Z"))).toEqual([
      { start: T("2026-10-25T00:00:00Z"), end: T("2026-10-25T02:00:00Z") },
    ]);
  });

  it("America/New_York: 09:00–17:00 moves from 14:00Z to 13:00Z over the 2026-03-08 change, back over 2026-11-01", () => {
    const cal = weekdays("America/New_York", [{ start: "09:00", end: "17:00" }]);
    expect(scheduledIntervals(cal, T("2026-03-02T00:00:00Z"), T("2026-03-03T00:00:00Z"))).toEqual([{ start: T("2026-03-02T14:00:00Z"), end: T("2026-03-02T22:00:00Z") }]);
    expect(scheduledIntervals(cal, T("2026-03-09T00:00:00Z"), T("2026-03-10T00:00:00Z"))).toEqual([{ start: T("2026-03-09T13:00:00Z"), end: T("2026-03-09T21:00:00Z") }]);
    expect(scheduledIntervals(cal, T("2026-11-02T00:00:00Z"), T("2026-11-03T00:00:00Z"))).toEqual([{ start: T("2026-11-02T14:00:00Z"), end: T("2026-11-02T22:00:00Z") }]);
    // Sunday 2026-11-01 itself is 25 hours long; a 24x7-like window 00:00–24:00 on Sundays shows it.
    const sunday: BusinessCalendar = { timezone: "America/New_York", weekly: { sun: [{ start: "00:00", end: "24:00" }] } };
    expect(totalLength(scheduledIntervals(sunday, T("2026-10-31T00:00:00Z"), T("2026-11-03T00:00:00Z")))).toBe(25 * H);
    expect(totalLength(scheduledIntervals(sunday, T("2026-03-07T00:00:00Z"), T("2026-03-10T00:00:00Z")))).toBe(23 * H);
  });

  it("a Friday window crossing midnight ends on Saturday; one starting the evening before the period still counts", () => {
    const cal: BusinessCalendar = { timezone: "UTC", weekly: { fri: [{ start: "22:00", end: "02:00" }], sun: [{ start: "22:00", end: "02:00" }] } };
    // Week of Mon 2026-06-01 … Sun 2026-06-07 (UTC).
    const s = scheduledIntervals(cal, T("2026-06-01T00:00:00Z"), T("2026-06-08T00:00:00Z"));
    expect(s).toEqual([
      { start: T("2026-06-01T00:00:00Z"), end: T("2026-06-01T02:00:00Z") }, // from Sun 31 May 22:00
      { start: T("2026-06-05T22:00:00Z"), end: T("2026-06-06T02:00:00Z") },
      { start: T("2026-06-07T22:00:00Z"), end: T("2026-06-08T00:00:00Z") }, // cut at the period's end
    ]);
  });

  it("holidays remove their whole local date, including the part of an overnight window that falls on it", () => {
    const cal: BusinessCalendar = {
      timezone: "Europe/Berlin",
      weekly: { thu: [{ start: "22:00", end: "02:00" }], fri: [{ start: "22:00", end: "02:00" }] },
      holidays: ["2026-12-25"],
    };
    const s = scheduledIntervals(cal, T("2026-12-20T23:00:00Z"), T("2026-12-27T23:00:00Z"));
    expect(s).toEqual([
      { start: T("2026-12-24T21:00:00Z"), end: T("2026-12-24T23:00:00Z") }, // Thu 22:00–24:00; Fri 00–02 is the holiday
      { start: T("2026-12-25T23:00:00Z"), end: T("2026-12-26T01:00:00Z") }, // Fri's window after midnight is Saturday
    ]);
  });

  it("a holiday on a weekday removes that day's hours", () => {
    const cal = weekdays("Europe/Berlin", [{ start: "09:00", end: "17:00" }], ["2026-12-25", "2026-12-25", "2027-01-01"]);
    expect(totalLength(scheduledIntervals(cal, T("2026-12-20T23:00:00Z"), T("2026-12-27T23:00:00Z")))).toBe(32 * H);
  });

  it("clips to the period", () => {
    const s = scheduledIntervals(weekdays("Europe/Berlin"), T("2026-03-23T11:00:00Z"), T("2026-03-24T11:00:00Z"));
    expect(s).toEqual([
      { start: T("2026-03-23T11:00:00Z"), end: T("2026-03-23T17:00:00Z") },
      { start: T("2026-03-24T07:00:00Z"), end: T("2026-03-24T11:00:00Z") },
    ]);
  });

  it("a full month of business hours in Tokyo (no DST) is weekdays × 10 h", () => {
    // June 2026 has 22 weekdays.
    const s = scheduledIntervals(weekdays("Asia/Tokyo"), T("2026-05-31T15:00:00Z"), T("2026-06-30T15:00:00Z"));
    expect(totalLength(s)).toBe(22 * 10 * H);
  });

  it("nominal hours", () => {
    expect(weeklyHours(weekdays("UTC"))).toBe(50);
    expect(weeklyHours({ timezone: "UTC", weekly: { fri: [{ start: "22:00", end: "02:00" }] } })).toBe(4);
    expect(nominalHoursPerYear(weekdays("UTC", [{ start: "09:00", end: "17:00" }]))).toBe(2080);
    expect(nominalHoursPerYear("24x7")).toBe(8760);
  });
});

describe("calendar validation", () => {
  const problems = (cal: unknown) => businessCalendarProblems(cal);

  it("accepts a good calendar", () => {
    expect(problems(weekdays("Europe/Berlin", office, ["2026-12-25"]))).toEqual([]);
    expect(problems({ timezone: "UTC", weekly: { mon: [{ start: "00:00", end: "24:00" }] } })).toEqual([]);
  });

  it("names bad times, days, zones and holidays", () => {
    const p = problems({
      timezone: "Europe/Nowhere",
      weekly: { mon: [{ start: "8:00", end: "18:00" }], tue: [{ start: "09:00", end: "24:30" }], wed: [{ start: "24:00", end: "02:00" }], funday: [] },
      holidays: ["2026-02-30"],
    });
    expect(p.map((x) => x.field).sort()).toEqual(["holidays[0]", "timezone", "weekly.funday", "weekly.mon[0].start", "weekly.tue[0].end", "weekly.wed[0].start"]);
  });

  it("refuses a window whose end equals its start", () => {
    expect(problems({ timezone: "UTC", weekly: { mon: [{ start: "09:00", end: "09:00" }] } })).toEqual([
      { field: "weekly.mon[0].end", problem: expect.stringContaining("equals start") as string },
    ]);
  });

  it("refuses overlapping windows on one day, and an overnight window running into the next day's", () => {
    expect(problems({ timezone: "UTC", weekly: { mon: [{ start: "08:00", end: "12:00" }, { start: "11:00", end: "14:00" }] } })).toEqual([
      { field: "weekly.mon[1]", problem: "overlaps weekly.mon[0] (mon 08:00–12:00): windows must not overlap" },
    ]);
    expect(problems({ timezone: "UTC", weekly: { fri: [{ start: "22:00", end: "02:00" }], sat: [{ start: "01:00", end: "05:00" }] } })).toEqual([
      { field: "weekly.sat[0]", problem: "overlaps weekly.fri[0] (fri 22:00–02:00): windows must not overlap" },
    ]);
    // Sunday night wraps into Monday morning.
    expect(problems({ timezone: "UTC", weekly: { mon: [{ start: "01:00", end: "05:00" }], sun: [{ start: "22:00", end: "02:00" }] } })).toEqual([
      { field: "weekly.sun[0]", problem: "overlaps weekly.mon[0] (mon 01:00–05:00): windows must not overlap" },
    ]);
    // Touching is fine.
    expect(problems({ timezone: "UTC", weekly: { fri: [{ start: "22:00", end: "02:00" }], sat: [{ start: "02:00", end: "05:00" }] } })).toEqual([]);
  });

  it("needs at least one window and an object", () => {
    expect(problems({ timezone: "UTC", weekly: {} })).toEqual([{ field: "weekly", problem: expect.stringContaining("no windows") as string }]);
    expect(problems(null)).toEqual([{ field: "calendar", problem: "must be an object" }]);
    expect(problems({ timezone: "UTC", weekly: [] })[0]!.field).toBe("weekly");
  });

  it("throws InvalidInputError naming the field when computing with a bad calendar or period", () => {
    expect(() => assertBusinessCalendar({ timezone: "UTC", weekly: { mon: [{ start: "09:00", end: "09:00" }] } })).toThrow(InvalidInputError);
    try {
      scheduledIntervals({ timezone: "Nope/Nope", weekly: { mon: office } }, 0, 1);
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidInputError).field).toBe("timezone");
    }
    expect(() => scheduledIntervals("24x7", 10, 5)).toThrow(/from: must not be after to/);
    expect(() => scheduledIntervals("24x7", 0, Infinity)).toThrow(/to: must be a finite instant/);
  });
});
