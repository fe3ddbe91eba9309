// Report periods: the presets a vCIO picks from, turned into instants at local midnight in the client's
// time zone (a month is the client's month, not the browser's), and read from / written to the URL query.

/** The periods offered in the picker. */
export const PERIODS = [
  { value: "this-month", label: "This month" },
  { value: "last-month", label: "Last month" },
  { value: "this-quarter", label: "This quarter" },
  { value: "last-quarter", label: "Last quarter" },
  { value: "last-90-days", label: "Last 90 days" },
  { value: "custom", label: "Custom dates" },
] as const;

export type PeriodPreset = (typeof PERIODS)[number]["value"];
export type Hours = "all" | "business";

/** What the URL says about a report: everything needed to show it again. */
export interface ReportSelection {
  clientId: string;
  period: PeriodPreset;
  hours: Hours;
  /** Custom period only: first and last day (inclusive), YYYY-MM-DD in the client's zone. */
  from: string;
  to: string;
}

/** A calendar day without a zone. */
interface Day {
  year: number;
  month: number;
  day: number;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Reads the selection from the URL query; unknown values fall back to the defaults. */
export function selectionFromQuery(q: URLSearchParams): ReportSelection {
  const period = PERIODS.some((p) => p.value === q.get("period")) ? (q.get("period") as PeriodPreset) : "this-month";
  return {
    clientId: q.get("client") ?? "",
    period,
    hours: q.get("hours") === "business" ? "business" : "all",
    from: q.get("from") ?? "",
    to: q.get("to") ?? "",
  };
}

/** The URL query of a selection (defaults left out, so links stay short). */
export function selectionToQuery(s: ReportSelection): URLSearchParams {
  const q = new URLSearchParams();
  if (s.clientId) q.set("client", s.clientId);
  q.set("period", s.period);
  if (s.hours !== "all") q.set("hours", s.hours);
  if (s.period === "custom") {
    if (s.from) q.set("from", s.from);
    if (s.to) q.set("to", s.to);
  }
  return q;
}

/** Instants of a period: [from, to) in epoch ms; `to` is cut at `now` when the period is still running. */
export interface ResolvedPeriod {
  from: number;
  to: number;
  /** The period runs past now, so the report covers it up to `to` ("so far"). */
  sofar: boolean;
}

/** Problems with a custom period, by field ("from", "to"); empty when it can be asked for. */
export function customPeriodProblems(s: Pick<ReportSelection, "from" | "to">, timeZone: string, now = Date.now()): Record<string, string> {
  const out: Record<string, string> = {};
  const from = parseDay(s.from);
  const to = parseDay(s.to);
  if (!s.from) out.from = "Pick the first day of the period.";
  else if (!from) out.from = "Enter a date as YYYY-MM-DD.";
  if (!s.to) out.to = "Pick the last day of the period.";
  else if (!to) out.to = "Enter a date as YYYY-MM-DD.";
  if (from && to && dayNumber(to) < dayNumber(from)) out.to = "The last day must not be before the first.";
  if (from && !out.from && localMidnight(from, timeZone) > now) out.from = "The period has not started yet: pick a day up to today.";
  return out;
}

/**
 * The instants of a selection in `timeZone`, or null when a custom period is incomplete or invalid.
 * A period that has not ended is cut at `now` (to the second), so the page and the PDF and CSV downloaded
 * from it cover exactly the same time and show the same figures.
 */
export function resolvePeriod(s: ReportSelection, timeZone: string, now = Date.now()): ResolvedPeriod | null {
  const today = dayIn(now, timeZone);
  let first: Day;
  let afterLast: Day;
  switch (s.period) {
    case "this-month":
      first = { year: today.year, month: today.month, day: 1 };
      afterLast = addMonths(first, 1);
      break;
    case "last-month":
      afterLast = { year: today.year, month: today.month, day: 1 };
      first = addMonths(afterLast, -1);
      break;
    case "this-quarter":
      first = { year: today.year, month: quarterStart(today.month), day: 1 };
      afterLast = addMonths(first, 3);
      break;
    case "last-quarter":
      afterLast = { year: today.year, month: quarterStart(today.month), day: 1 };
      first = addMonths(afterLast, -3);
      break;
    case "last-90-days":
      first = addDays(today, -89);
      afterLast = addDays(today, 1);
      break;
    case "custom": {
      if (Object.keys(customPeriodProblems(s, timeZone, now)).length) return null;
      first = parseDay(s.from)!;
      afterLast = addDays(parseDay(s.to)!, 1);
      break;
    }
  }
  const from = localMidnight(first, timeZone);
  const end = localMidnight(afterLast, timeZone);
  const cut = Math.floor(now / 1000) * 1000;
  if (end > cut) return { from, to: Math.max(cut, from + 1000), sofar: true };
  return { from, to: end, sofar: false };
}

/** The browser's own time zone (for the fleet report, which spans clients in several zones). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Today as YYYY-MM-DD in a zone (the latest day a custom period may start). */
export function todayIn(timeZone: string, now = Date.now()): string {
  const d = dayIn(now, timeZone);
  return `${d.year}-${two(d.month)}-${two(d.day)}`;
}

// ——— calendar arithmetic ———

const two = (n: number) => String(n).padStart(2, "0");

function parseDay(s: string): Day | null {
  const m = DAY_RE.exec(s);
  if (!m) return null;
  const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(Date.UTC(day.year, day.month - 1, day.day));
  return check.getUTCFullYear() === day.year && check.getUTCMonth() === day.month - 1 && check.getUTCDate() === day.day ? day : null;
}

function dayNumber(d: Day): number {
  return Date.UTC(d.year, d.month - 1, d.day);
}

function fromUtcDate(ms: number): Day {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function addDays(d: Day, n: number): Day {
  return fromUtcDate(Date.UTC(d.year, d.month - 1, d.day + n));
}

function addMonths(d: Day, n: number): Day {
  return fromUtcDate(Date.UTC(d.year, d.month - 1 + n, d.day));
}

function quarterStart(month: number): number {
  return Math.floor((month - 1) / 3) * 3 + 1;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" });
    } catch {
      // An unknown zone in a client's settings must not break the page: read it as UTC.
      f = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" });
    }
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) if (part.type !== "literal") p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

function dayIn(ms: number, timeZone: string): Day {
  const w = wallClock(ms, timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant of 00:00 on a day in a zone (two passes settle the offset across a DST change). */
function localMidnight(d: Day, timeZone: string): number {
  const wall = dayNumber(d);
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone);
  return t;
}
