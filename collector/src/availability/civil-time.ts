/**
 * Civil (wall-clock) dates and times of day, with no time zone attached: parsing, formatting and
 * day arithmetic. Days are counted on the proleptic Gregorian calendar through Date.UTC, which
 * is exact for whole days because UTC has no daylight saving.
 */

/** A day of the week, as written in calendars and maintenance windows. */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** Monday first, as the ISO week is. */
export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** A calendar date on a wall clock (month 1–12). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a civil date: a plain integer to loop over and compare. */
export function dayNumber(date: LocalDate): number {
  return Math.round(civilAsUtc(date.year, date.month, date.day) / DAY_MS);
}

/** The civil date of a day number. */
export function fromDayNumber(n: number): LocalDate {
  const d = new Date(n * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The date `days` later (or earlier, when negative). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Weekday of a civil date. */
export function weekdayOf(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  return WEEKDAYS[(((dayNumber(date) + 3) % 7) + 7) % 7]!;
}

/** Number of days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(civilAsUtc(year, month + 1, 0)).getUTCDate();
}

/** `YYYY-MM-DD` → date, or null when it is not a real calendar date (2026-02-30 is not). */
export function parseLocalDate(text: unknown): LocalDate | null {
  if (typeof text !== "string") return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date.year, date.month)) return null;
  return date;
}

/** Date → `YYYY-MM-DD`. */
export function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, "0")}-${pad2(date.month)}-${pad2(date.day)}`;
}

/**
 * `HH:MM` → minutes after midnight, or null. `24:00` (the end of the day) is accepted only when
 * `allowEndOfDay` is set, because it can end a window but never start one.
 */
export function parseTimeOfDay(text: unknown, allowEndOfDay = false): number | null {
  if (typeof text !== "string") return null;
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (minutes > 59) return null;
  if (hours === 24 && minutes === 0 && allowEndOfDay) return 1440;
  if (hours > 23) return null;
  return hours * 60 + minutes;
}

/** Minutes after midnight → `HH:MM`. */
export function formatTimeOfDay(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** Milliseconds of a civil date and time read as if it were UTC: the zone-free "naive" instant. */
export function civilAsUtc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
