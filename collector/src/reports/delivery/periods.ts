/**
 * The calendar periods scheduled reports cover: whole months and quarters on the client's wall clock.
 * Boundaries are local midnights converted through the availability core, so a month that contains a
 * daylight-saving change is an hour shorter or longer in UTC, as the client experiences it.
 */
import { localDateOf, localToUtc } from "../../availability/timezone.js";

/** How often a scheduled report goes out. */
export type Cadence = "monthly" | "quarterly";

/** A completed report period: [from, to) in UTC ms, plus names for people and for files. */
export interface ReportPeriod {
  cadence: Cadence;
  from: number;
  to: number;
  /** "March 2026", "Q1 2026". */
  label: string;
  /** "2026-03", "2026-q1": sorts and fits in a file name. */
  slug: string;
  timezone: string;
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** The last calendar month in the zone that ended at or before the instant. */
export function lastCompletedMonth(now: number, zone: string): ReportPeriod {
  const today = localDateOf(now, zone);
  const start = shiftMonth(today.year, today.month, -1);
  return {
    cadence: "monthly",
    from: localToUtc({ ...start, day: 1 }, zone),
    to: localToUtc({ year: today.year, month: today.month, day: 1 }, zone),
    label: `${MONTH_NAMES[start.month - 1]} ${start.year}`,
    slug: `${start.year}-${String(start.month).padStart(2, "0")}`,
    timezone: zone,
  };
}

/** The last calendar quarter (Jan–Mar, Apr–Jun, …) in the zone that ended at or before the instant. */
export function lastCompletedQuarter(now: number, zone: string): ReportPeriod {
  const today = localDateOf(now, zone);
  const currentStartMonth = Math.floor((today.month - 1) / 3) * 3 + 1;
  const start = shiftMonth(today.year, currentStartMonth, -3);
  const quarter = (start.month - 1) / 3 + 1;
  return {
    cadence: "quarterly",
    from: localToUtc({ ...start, day: 1 }, zone),
    to: localToUtc({ year: today.year, month: currentStartMonth, day: 1 }, zone),
    label: `Q${quarter} ${start.year}`,
    slug: `${start.year}-q${quarter}`,
    timezone: zone,
  };
}

/** The last completed period of a cadence in the zone. */
export function lastCompletedPeriod(cadence: Cadence, now: number, zone: string): ReportPeriod {
  return cadence === "monthly" ? lastCompletedMonth(now, zone) : lastCompletedQuarter(now, zone);
}

function shiftMonth(year: number, month: number, by: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}
