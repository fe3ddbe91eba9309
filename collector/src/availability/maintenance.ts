/**
 * Maintenance windows — one-off, weekly or monthly, scoped to a client, a site or a host — expanded to
 * UTC intervals for a period. Time inside them is MAINTENANCE: excluded from the SLA, never DOWN.
 * Recurring windows start at a local wall-clock time in their zone and last `durationMinutes` of real
 * elapsed time: a 4-hour window from 02:00 across the autumn change ends at 05:00 on the wall clock.
 */
import {
  WEEKDAYS,
  addDays,
  dayNumber,
  daysInMonth,
  fromDayNumber,
  parseLocalDate,
  parseTimeOfDay,
  weekdayOf,
  type LocalDate,
  type Weekday,
} from "./civil-time.js";
import { at, checkNumber, throwIfInvalid, type FieldProblem } from "./errors.js";
import { clip, intersect, normalize, type Interval } from "./intervals.js";
import { localDateOf, localToUtc, timeZoneProblems } from "./timezone.js";

/** What a window silences: a whole client, one site, or one host. */
export interface MaintenanceScope {
  level: "client" | "site" | "host";
  id: string;
}

/** The host a window is applied to, with the site and client it belongs to. */
export interface MaintenanceTarget {
  clientId: string;
  siteId: string;
  hostId: string;
}

interface MaintenanceBase {
  id: string;
  scope: MaintenanceScope;
  /** Why, for the report (and the audit trail when added afterwards). */
  reason?: string;
}

/** A single window between two instants. */
export interface OneOffMaintenance extends MaintenanceBase {
  kind: "once";
  start: number;
  end: number;
}

/** Fields shared by recurring windows. */
interface RecurringBase extends MaintenanceBase {
  /** IANA zone the start time and dates are read in. */
  timezone: string;
  /** Local start time, `HH:MM`. */
  start: string;
  /** Real elapsed minutes from the start. */
  durationMinutes: number;
  /** First local date an occurrence may start on (inclusive). */
  firstDate?: string;
  /** Last local date an occurrence may start on (inclusive). */
  lastDate?: string;
}

/** Every week on one weekday. */
export interface WeeklyMaintenance extends RecurringBase {
  kind: "weekly";
  weekday: Weekday;
}

/**
 * Every month on a day of the month (a day the month lacks means its last day: 31 → 30 April), or on
 * the nth weekday (nth 1–5, or -1 for the last; a month without a 5th such weekday has no occurrence).
 */
export interface MonthlyMaintenance extends RecurringBase {
  kind: "monthly";
  on: { day: number } | { nth: 1 | 2 | 3 | 4 | 5 | -1; weekday: Weekday };
}

/** Any maintenance window. */
export type MaintenanceWindow = OneOffMaintenance | WeeklyMaintenance | MonthlyMaintenance;

const MAX_WEEKLY_MINUTES = 7 * 1440;
// The shortest distance between two monthly occurrences (31 Jan → 28 Feb, or two nth weekdays).
const MAX_MONTHLY_MINUTES = 28 * 1440;

/** Problems with one window on its own (field names relative to it, prefixed with `prefix`). */
export function maintenanceWindowProblems(input: unknown, prefix = ""): FieldProblem[] {
  const f = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (typeof input !== "object" || input === null) return [{ field: prefix || "window", problem: "must be an object" }];
  const w = input as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  if (typeof w.id !== "string" || w.id === "") problems.push({ field: f("id"), problem: "required" });
  const scope = w.scope as Record<string, unknown> | undefined;
  if (typeof scope !== "object" || scope === null) problems.push({ field: f("scope"), problem: "required: {level: client|site|host, id}" });
  else {
    if (!["client", "site", "host"].includes(scope.level as string)) problems.push({ field: f("scope.level"), problem: "must be client, site or host" });
    if (typeof scope.id !== "string" || scope.id === "") problems.push({ field: f("scope.id"), problem: "required" });
  }
  if (w.kind === "once") {
    problems.push(...checkNumber(w.start, f("start")), ...checkNumber(w.end, f("end")));
    if (problems.length === 0 && (w.end as number) <= (w.start as number)) problems.push({ field: f("end"), problem: "must be after start (the window is inverted or empty)" });
    return problems;
  }
  if (w.kind !== "weekly" && w.kind !== "monthly") return [...problems, { field: f("kind"), problem: "must be once, weekly or monthly" }];
  problems.push(...timeZoneProblems(w.timezone, f("timezone")));
  if (parseTimeOfDay(w.start) === null) problems.push({ field: f("start"), problem: `must be a local time HH:MM, got ${JSON.stringify(w.start)}` });
  const max = w.kind === "weekly" ? MAX_WEEKLY_MINUTES : MAX_MONTHLY_MINUTES;
  const duration = checkNumber(w.durationMinutes, f("durationMinutes"), { min: 1, integer: true });
  if (duration.length === 0 && (w.durationMinutes as number) > max)
    duration.push({ field: f("durationMinutes"), problem: `must be at most ${max} (${max / 1440} days): longer would overlap the next occurrence` });
  problems.push(...duration);
  for (const name of ["firstDate", "lastDate"] as const) {
    if (w[name] !== undefined && !parseLocalDate(w[name])) problems.push({ field: f(name), problem: `must be a date YYYY-MM-DD, got ${JSON.stringify(w[name])}` });
  }
  const first = parseLocalDate(w.firstDate);
  const last = parseLocalDate(w.lastDate);
  if (first && last && dayNumber(last) < dayNumber(first)) problems.push({ field: f("lastDate"), problem: "must not be before firstDate (the window is inverted)" });
  if (w.kind === "weekly") {
    if (!WEEKDAYS.includes(w.weekday as Weekday)) problems.push({ field: f("weekday"), problem: `must be one of ${WEEKDAYS.join(", ")}` });
  } else {
    const on = w.on as Record<string, unknown> | undefined;
    if (typeof on !== "object" || on === null) problems.push({ field: f("on"), problem: "required: {day} or {nth, weekday}" });
    else if ("day" in on) problems.push(...checkNumber(on.day, f("on.day"), { min: 1, max: 31, integer: true }));
    else {
      if (![1, 2, 3, 4, 5, -1].includes(on.nth as number)) problems.push({ field: f("on.nth"), problem: "must be 1, 2, 3, 4, 5 or -1 (last)" });
      if (!WEEKDAYS.includes(on.weekday as Weekday)) problems.push({ field: f("on.weekday"), problem: `must be one of ${WEEKDAYS.join(", ")}` });
    }
  }
  return problems;
}

/**
 * Problems with a list of windows: each on its own, then overlaps between windows of the same scope
 * (recurring ones compared over `horizon`, since they repeat forever). Fields are `[i].<field>`.
 */
export function maintenanceListProblems(windows: readonly unknown[], horizon: Interval): FieldProblem[] {
  const problems = [...horizonProblems(horizon), ...windows.flatMap((w, i) => maintenanceWindowProblems(w, at(i)))];
  if (problems.length > 0) return problems;
  const valid = windows as readonly MaintenanceWindow[];
  for (let j = 1; j < valid.length; j++) {
    const overlap = firstOverlap(valid[j]!, valid.slice(0, j), horizon);
    if (overlap) problems.push({ field: at(j, "start"), problem: overlap });
  }
  return problems;
}

/**
 * Problems with a new window against the windows that already exist: its own fields, and an overlap
 * with one of the same scope within `horizon` (reported on `start`).
 */
export function newMaintenanceWindowProblems(candidate: unknown, existing: readonly MaintenanceWindow[], horizon: Interval): FieldProblem[] {
  const problems = [...horizonProblems(horizon), ...maintenanceWindowProblems(candidate)];
  if (problems.length > 0) return problems;
  const overlap = firstOverlap(candidate as MaintenanceWindow, existing.filter((w) => w.id !== (candidate as MaintenanceWindow).id), horizon);
  return overlap ? [{ field: "start", problem: overlap }] : [];
}

/** Whether the window covers this host (directly, through its site, or through its client). */
export function appliesTo(window: MaintenanceWindow, target: MaintenanceTarget): boolean {
  const { level, id } = window.scope;
  return level === "client" ? id === target.clientId : level === "site" ? id === target.siteId : id === target.hostId;
}

/** One window's occurrences that overlap [fromMs, toMs), clipped to it. */
export function expandMaintenance(window: MaintenanceWindow, fromMs: number, toMs: number): Interval[] {
  throwIfInvalid(maintenanceWindowProblems(window));
  if (!(fromMs < toMs)) return [];
  if (window.kind === "once") return clip([{ start: window.start, end: window.end }], fromMs, toMs);
  const durationMs = window.durationMinutes * 60_000;
  const zone = window.timezone;
  const startMinutes = parseTimeOfDay(window.start)!;
  // An occurrence that began up to one duration before `from` still reaches into the period.
  const firstDay = Math.max(dayNumber(localDateOf(fromMs - durationMs, zone)) - 1, bound(window.firstDate, -Infinity));
  const lastDay = Math.min(dayNumber(localDateOf(toMs, zone)) + 1, bound(window.lastDate, Infinity));
  const out: Interval[] = [];
  for (const date of occurrenceDates(window, firstDay, lastDay)) {
    const start = localToUtc({ ...date, hour: Math.floor(startMinutes / 60), minute: startMinutes % 60 }, zone);
    out.push({ start, end: start + durationMs });
  }
  return clip(out, fromMs, toMs);
}

/** All maintenance time that applies to a host within [fromMs, toMs). */
export function maintenanceIntervals(windows: readonly MaintenanceWindow[], target: MaintenanceTarget, fromMs: number, toMs: number): Interval[] {
  return normalize(windows.filter((w) => appliesTo(w, target)).flatMap((w) => expandMaintenance(w, fromMs, toMs)));
}

// Recurring windows repeat forever, so overlaps can only be looked for over a finite stretch.
function horizonProblems(horizon: Interval): FieldProblem[] {
  if (!Number.isFinite(horizon.start) || !Number.isFinite(horizon.end) || horizon.end <= horizon.start) {
    return [{ field: "horizon", problem: "must be a finite, non-empty interval" }];
  }
  return [];
}

function bound(date: string | undefined, fallback: number): number {
  const d = parseLocalDate(date);
  return d ? dayNumber(d) : fallback;
}

function* occurrenceDates(window: WeeklyMaintenance | MonthlyMaintenance, firstDay: number, lastDay: number): Generator<LocalDate> {
  if (window.kind === "weekly") {
    for (let n = firstDay; n <= lastDay; n++) {
      const date = fromDayNumber(n);
      if (weekdayOf(date) === window.weekday) yield date;
    }
    return;
  }
  const first = fromDayNumber(firstDay);
  const last = fromDayNumber(lastDay);
  let { year, month } = first;
  while (year < last.year || (year === last.year && month <= last.month)) {
    const date = monthlyDate(window.on, year, month);
    if (date && dayNumber(date) >= firstDay && dayNumber(date) <= lastDay) yield date;
    if (++month > 12) {
      month = 1;
      year++;
    }
  }
}

function monthlyDate(on: MonthlyMaintenance["on"], year: number, month: number): LocalDate | null {
  const length = daysInMonth(year, month);
  if ("day" in on) return { year, month, day: Math.min(on.day, length) };
  const target = WEEKDAYS.indexOf(on.weekday);
  if (on.nth === -1) {
    const lastDate = { year, month, day: length };
    const back = (WEEKDAYS.indexOf(weekdayOf(lastDate)) - target + 7) % 7;
    return addDays(lastDate, -back);
  }
  const firstDate = { year, month, day: 1 };
  const ahead = (target - WEEKDAYS.indexOf(weekdayOf(firstDate)) + 7) % 7;
  const day = 1 + ahead + (on.nth - 1) * 7;
  return day <= length ? { year, month, day } : null;
}

function scopeKey(w: MaintenanceWindow): string {
  return `${w.scope.level}:${w.scope.id}`;
}

function firstOverlap(candidate: MaintenanceWindow, others: readonly MaintenanceWindow[], horizon: Interval): string | null {
  for (const other of others) {
    if (scopeKey(other) !== scopeKey(candidate)) continue;
    // A one-off window is compared wherever it lies; only two recurring ones need the horizon.
    const span = candidate.kind === "once" ? candidate : other.kind === "once" ? other : horizon;
    const both = intersect(expandMaintenance(candidate, span.start, span.end), expandMaintenance(other, span.start, span.end));
    if (both.length > 0) {
      const when = new Date(both[0]!.start).toISOString();
      return `overlaps maintenance window ${JSON.stringify(other.id)} in the same scope (${scopeKey(other)}) at ${when}`;
    }
  }
  return null;
}

