/**
 * Business hours: a time zone, windows of local time per weekday (a window whose end is earlier than
 * its start crosses midnight, e.g. Fri 22:00–02:00 ends on Saturday), and full-day holidays. Expanded
 * to UTC intervals for a period, which is what S (scheduled time) in the SLA is measured on.
 */
import {
  WEEKDAYS,
  addDays,
  dayNumber,
  formatTimeOfDay,
  fromDayNumber,
  parseLocalDate,
  parseTimeOfDay,
  weekdayOf,
  type LocalDate,
  type Weekday,
} from "./civil-time.js";
import { at, throwIfInvalid, type FieldProblem } from "./errors.js";
import { clip, normalize, subtract, type Interval } from "./intervals.js";
import { localDateOf, localToUtc, timeZoneProblems } from "./timezone.js";

/**
 * One window of business time on a weekday, in local `HH:MM`. `end` may be `24:00`; an `end` before
 * `start` means the window runs past midnight into the next day.
 */
export interface TimeWindow {
  start: string;
  end: string;
}

/** A client's business hours. */
export interface BusinessCalendar {
  /** IANA zone the windows and holidays are read in. */
  timezone: string;
  /** Windows per weekday; a day without windows has no business hours. */
  weekly: Partial<Record<Weekday, readonly TimeWindow[]>>;
  /** Local dates (`YYYY-MM-DD`) without business hours: the whole date, 00:00–24:00. */
  holidays?: readonly string[];
}

/** What a report counts as scheduled time: a business calendar, or every hour. */
export type Schedule = BusinessCalendar | "24x7";

const WEEK_MINUTES = 7 * 1440;

/** Every problem with a calendar, each naming its field (empty when the calendar is valid). */
export function businessCalendarProblems(input: unknown): FieldProblem[] {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return [{ field: "calendar", problem: "must be an object" }];
  const cal = input as Record<string, unknown>;
  const problems = timeZoneProblems(cal.timezone, "timezone");
  const weekly = cal.weekly;
  if (typeof weekly !== "object" || weekly === null || Array.isArray(weekly)) {
    problems.push({ field: "weekly", problem: "must be an object of windows per weekday (mon…sun)" });
  } else {
    problems.push(...weeklyProblems(weekly as Record<string, unknown>));
  }
  if (cal.holidays !== undefined) {
    if (!Array.isArray(cal.holidays)) problems.push({ field: "holidays", problem: "must be a list of dates YYYY-MM-DD" });
    else
      cal.holidays.forEach((h, i) => {
        if (!parseLocalDate(h)) problems.push({ field: at("holidays", i), problem: `must be a real date YYYY-MM-DD, got ${JSON.stringify(h)}` });
      });
  }
  return problems;
}

/** Returns the calendar when valid; throws InvalidInputError naming every bad field otherwise. */
export function assertBusinessCalendar(input: unknown): BusinessCalendar {
  throwIfInvalid(businessCalendarProblems(input));
  return input as BusinessCalendar;
}

/**
 * Scheduled time within [fromMs, toMs) as sorted, disjoint UTC intervals. Local times that do not
 * exist (spring gap) move forward; repeated ones (autumn overlap) take their first occurrence, so a
 * window across a DST change is one hour shorter or longer in real time, as the clock on the wall says.
 */
export function scheduledIntervals(schedule: Schedule, fromMs: number, toMs: number): Interval[] {
  throwIfInvalid(periodProblems(fromMs, toMs));
  if (schedule === "24x7") return fromMs < toMs ? [{ start: fromMs, end: toMs }] : [];
  assertBusinessCalendar(schedule);
  if (fromMs >= toMs) return [];
  const zone = schedule.timezone;
  // A window that started the evening before `from` can still be running at `from`.
  const firstDay = dayNumber(localDateOf(fromMs, zone)) - 1;
  const lastDay = dayNumber(localDateOf(toMs - 1, zone));
  const windows: Interval[] = [];
  for (let n = firstDay; n <= lastDay; n++) {
    const date = fromDayNumber(n);
    for (const w of schedule.weekly[weekdayOf(date)] ?? []) {
      const start = parseTimeOfDay(w.start)!;
      const end = parseTimeOfDay(w.end, true)!;
      const endDate = end <= start ? addDays(date, 1) : date;
      windows.push({ start: atLocal(date, start, zone), end: atLocal(endDate, end, zone) });
    }
  }
  const holidays: Interval[] = [];
  for (const h of new Set(schedule.holidays ?? [])) {
    const date = parseLocalDate(h)!;
    const n = dayNumber(date);
    if (n < firstDay || n > lastDay + 1) continue;
    holidays.push({ start: localToUtc(date, zone), end: localToUtc(addDays(date, 1), zone) });
  }
  return clip(subtract(normalize(windows), holidays), fromMs, toMs);
}

/** Nominal business hours in a week (DST and holidays ignored); 168 for 24x7. */
export function weeklyHours(schedule: Schedule): number {
  if (schedule === "24x7") return 168;
  let minutes = 0;
  for (const day of WEEKDAYS) {
    for (const w of schedule.weekly[day] ?? []) {
      const start = parseTimeOfDay(w.start) ?? 0;
      const end = parseTimeOfDay(w.end, true) ?? 0;
      minutes += end > start ? end - start : end + 1440 - start;
    }
  }
  return minutes / 60;
}

/** Nominal business hours in a year: weekly hours × 52, or 8,760 for 24x7 (a default, not a measurement). */
export function nominalHoursPerYear(schedule: Schedule): number {
  return schedule === "24x7" ? 8760 : weeklyHours(schedule) * 52;
}

/** Problems with a period: both ends finite instants, `from` not after `to`. */
export function periodProblems(fromMs: unknown, toMs: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof fromMs !== "number" || !Number.isFinite(fromMs)) problems.push({ field: "from", problem: "must be a finite instant (epoch ms)" });
  if (typeof toMs !== "number" || !Number.isFinite(toMs)) problems.push({ field: "to", problem: "must be a finite instant (epoch ms)" });
  if (problems.length === 0 && (fromMs as number) > (toMs as number)) problems.push({ field: "from", problem: "must not be after to" });
  return problems;
}

function atLocal(date: LocalDate, minutes: number, zone: string): number {
  return localToUtc({ ...date, hour: Math.floor(minutes / 60), minute: minutes % 60 }, zone);
}

interface WeekPiece {
  start: number;
  end: number;
  field: string;
  label: string;
  /** Weekday first, then position: the later of two overlapping windows is the one reported. */
  order: number;
}

function weeklyProblems(weekly: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pieces: WeekPiece[] = [];
  let windows = 0;
  for (const [day, list] of Object.entries(weekly)) {
    const dayIndex = WEEKDAYS.indexOf(day as Weekday);
    if (dayIndex < 0) {
      problems.push({ field: at("weekly", day), problem: `unknown weekday: use ${WEEKDAYS.join(", ")}` });
      continue;
    }
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push({ field: at("weekly", day), problem: "must be a list of windows {start, end}" });
      continue;
    }
    list.forEach((w: unknown, i) => {
      const field = at("weekly", day, i);
      if (typeof w !== "object" || w === null) {
        problems.push({ field, problem: "must be a window {start, end}" });
        return;
      }
      const { start: s, end: e } = w as Record<string, unknown>;
      const start = parseTimeOfDay(s);
      const end = parseTimeOfDay(e, true);
      if (start === null) problems.push({ field: `${field}.start`, problem: `must be a local time HH:MM from 00:00 to 23:59, got ${JSON.stringify(s)}` });
      if (end === null) problems.push({ field: `${field}.end`, problem: `must be a local time HH:MM from 00:00 to 24:00, got ${JSON.stringify(e)}` });
      if (start === null || end === null) return;
      // An end before the start is how a window says it crosses midnight; equal ends leave no way to tell
      // an empty window from a 24-hour one, so it is refused.
      if (end === start) {
        problems.push({ field: `${field}.end`, problem: `equals start (${s}): a window needs a length; write 00:00–24:00 for a whole day` });
        return;
      }
      windows++;
      const from = dayIndex * 1440 + start;
      const to = dayIndex * 1440 + (end < start ? end + 1440 : end);
      const label = `${day} ${formatTimeOfDay(start)}–${end === 1440 ? "24:00" : formatTimeOfDay(end)}`;
      const order = dayIndex * 10_000 + i;
      // Sunday night runs into Monday morning: the week wraps around.
      if (to > WEEK_MINUTES) {
        pieces.push({ start: from, end: WEEK_MINUTES, field, label, order }, { start: 0, end: to - WEEK_MINUTES, field, label, order });
      } else {
        pieces.push({ start: from, end: to, field, label, order });
      }
    });
  }
  pieces.sort((a, b) => a.start - b.start || a.end - b.end);
  const reported = new Set<string>();
  for (let i = 0; i < pieces.length; i++) {
    for (let j = i + 1; j < pieces.length && pieces[j]!.start < pieces[i]!.end; j++) {
      const [a, b] = pieces[i]!.order < pieces[j]!.order ? [pieces[i]!, pieces[j]!] : [pieces[j]!, pieces[i]!];
      const key = `${a.field}|${b.field}`;
      if (a.field === b.field || reported.has(key)) continue;
      reported.add(key);
      problems.push({ field: b.field, problem: `overlaps ${a.field} (${a.label}): windows must not overlap` });
    }
  }
  if (windows === 0 && problems.length === 0) problems.push({ field: "weekly", problem: "has no windows: a business calendar needs at least one (or use 24x7)" });
  return problems;
}
