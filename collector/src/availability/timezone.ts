/**
 * Wall clock ↔ UTC in an IANA time zone, with nothing but the built-in Intl API (Node ships full ICU
 * with the tz database). Rules at daylight-saving changes:
 * - a local time that does not exist (the spring gap, e.g. 02:30 in Berlin on 2026-03-29) moves
 *   forward by the length of the gap (→ 03:30 CEST), as Temporal's "compatible" disambiguation does;
 * - a local time that occurs twice (the autumn overlap, e.g. 02:30 in Berlin on 2026-10-25) means
 *   its first occurrence (02:30 CEST, the earlier instant).
 */
import { civilAsUtc, type LocalDate } from "./civil-time.js";
import type { FieldProblem } from "./errors.js";

/** A civil date and time on a wall clock. */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const DAY_MS = 86_400_000;
// Zone names are words separated by slashes ("America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC").
// Newer engines also accept raw offsets ("+01:00"), which are not zones and have no DST rules.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    // Intl accepts any letter case, so the cache is bounded against a flood of spellings of one zone.
    if (formatters.size >= 1000) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Intl knows the zone by this IANA name (case-insensitive, as Intl is). */
export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || zone.length > 64 || !ZONE_NAME.test(zone)) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Problems with a time zone field: empty when it is a valid IANA zone name. */
export function timeZoneProblems(zone: unknown, field = "timezone"): FieldProblem[] {
  if (typeof zone !== "string" || zone === "") return [{ field, problem: "required: an IANA time zone such as Europe/Berlin" }];
  if (!isValidTimeZone(zone)) return [{ field, problem: `unknown time zone ${JSON.stringify(zone)}: use an IANA name such as Europe/Berlin` }];
  return [];
}

/** Offset of the zone's wall clock from UTC at an instant, in ms (Berlin in summer: +7,200,000). */
export function offsetAt(zone: string, utcMs: number): number {
  if (!Number.isFinite(utcMs)) throw new RangeError(`offsetAt: instant must be finite, got ${utcMs}`);
  // Since 1970 every zone changes offset only on a quarter hour of UTC (offsets are whole quarter hours),
  // so one Intl lookup per zone and quarter hour answers every instant in it: reports ask millions of times.
  if (utcMs < 0) return exactOffset(zone, utcMs);
  const bucket = Math.floor(utcMs / OFFSET_BUCKET_MS);
  const key = `${zone}|${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = exactOffset(zone, bucket * OFFSET_BUCKET_MS);
    if (offsets.size >= 200_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const OFFSET_BUCKET_MS = 15 * 60_000;
const offsets = new Map<string, number>();

function exactOffset(zone: string, utcMs: number): number {
  const local = formattedWallClock(zone, utcMs);
  const wholeSeconds = Math.floor(utcMs / 1000) * 1000;
  return civilAsUtc(local.year, local.month, local.day, local.hour, local.minute, local.second) - wholeSeconds;
}

/** The wall-clock date and time in the zone at an instant. */
export function utcToLocal(utcMs: number, zone: string): LocalDateTime {
  const local = wallClock(zone, utcMs);
  return { ...local, millisecond: ((utcMs % 1000) + 1000) % 1000 };
}

/** The civil date in the zone at an instant. */
export function localDateOf(utcMs: number, zone: string): LocalDate {
  const { year, month, day } = wallClock(zone, utcMs);
  return { year, month, day };
}

/**
 * The instant a wall-clock time names in the zone. A time in the spring gap moves forward by the
 * gap; a time in the autumn overlap takes its first occurrence (see the module comment).
 */
export function localToUtc(local: LocalDate & Partial<Omit<LocalDateTime, keyof LocalDate>>, zone: string): number {
  const naive = civilAsUtc(local.year, local.month, local.day, local.hour ?? 0, local.minute ?? 0, local.second ?? 0, local.millisecond ?? 0);
  // Offsets never exceed ±1 day, so one day either side lies before and after any transition near this time.
  const before = offsetAt(zone, naive - DAY_MS);
  const after = offsetAt(zone, naive + DAY_MS);
  const valid = [...new Set([before, after, offsetAt(zone, naive)])].map((o) => naive - o).filter((utc) => offsetAt(zone, utc) === naive - utc);
  if (valid.length > 0) return Math.min(...valid);
  // In the gap: read the time with the offset in force before the change, which lands after it.
  return naive - before;
}

/** The instant the local date begins (its midnight, or the first instant after a gap at midnight). */
export function startOfLocalDay(date: LocalDate, zone: string): number {
  return localToUtc(date, zone);
}

function wallClock(zone: string, utcMs: number): Omit<LocalDateTime, "millisecond"> {
  if (utcMs < 0) return formattedWallClock(zone, utcMs);
  const d = new Date(Math.floor(utcMs / 1000) * 1000 + offsetAt(zone, utcMs));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

function formattedWallClock(zone: string, utcMs: number): Omit<LocalDateTime, "millisecond"> {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(zone).formatToParts(utcMs)) {
    if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
  }
  return out;
}
