/**
 * How the SLA report says its figures to people: dates in the client's zone, durations, percentages and
 * money. The executive summary and the PDF share these so a figure reads the same in both. English only,
 * and built from Intl's numeric parts rather than its locale patterns, so output does not drift with ICU.
 */

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A wall-clock time in some zone. */
interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  let f = zoneFormatters.get(zone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" });
  } catch {
    return null;
  }
  zoneFormatters.set(zone, f);
  return f;
}

/** The zone to show times in: the report's, or UTC when Intl does not know it (a bad setting must not break a report). */
export function displayZone(timezone: string): string {
  return zoneFormatter(timezone) ? timezone : "UTC";
}

/** Epoch milliseconds of an ISO instant, or null when it is not one. */
export function instant(iso: string): number | null {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

function localTime(ms: number, zone: string): LocalTime {
  const f = zoneFormatter(zone) ?? zoneFormatter("UTC")!;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) if (part.type !== "literal") p[part.type] = Number(part.value);
  return { year: p.year ?? 0, month: p.month ?? 1, day: p.day ?? 1, hour: p.hour ?? 0, minute: p.minute ?? 0 };
}

const two = (n: number) => String(n).padStart(2, "0");
const monthName = (m: number) => MONTHS[m - 1] ?? String(m);

/** "3 May 2026" (or "3 May" without the year) in the zone; an unreadable instant is shown as given. */
export function formatDate(iso: string, zone: string, withYear = true): string {
  const ms = instant(iso);
  if (ms === null) return iso;
  const t = localTime(ms, zone);
  return withYear ? `${t.day} ${monthName(t.month)} ${t.year}` : `${t.day} ${monthName(t.month)}`;
}

/** "3 May 2026 14:05" (or "3 May 14:05" without the year) in the zone. */
export function formatDateTime(iso: string, zone: string, withYear = true): string {
  const ms = instant(iso);
  if (ms === null) return iso;
  const t = localTime(ms, zone);
  return `${t.day} ${monthName(t.month).slice(0, 3)}${withYear ? ` ${t.year}` : ""} ${two(t.hour)}:${two(t.minute)}`;
}

/** "2026-05-03 14:05" in the zone: a form spreadsheets read as a date and time. */
export function formatSortableDateTime(iso: string, zone: string): string {
  const ms = instant(iso);
  if (ms === null) return iso;
  const t = localTime(ms, zone);
  return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}`;
}

/** The local year of an instant, for leaving the year out of dates within the report's own year. */
export function localYear(iso: string, zone: string): number | null {
  const ms = instant(iso);
  return ms === null ? null : localTime(ms, zone).year;
}

/**
 * A half-open period in words: "1–31 May 2026", "1 April – 30 June 2026", "3 May 2026". Periods are
 * [from, to), so a period ending at local midnight is shown up to the day before; other bounds get times.
 */
export function formatPeriod(from: string, to: string, zone: string): string {
  const a = instant(from);
  const b = instant(to);
  if (a === null || b === null || b <= a) return `${formatDateTime(from, zone)} – ${formatDateTime(to, zone)}`;
  const start = localTime(a, zone);
  const endsAtMidnight = (t: LocalTime) => t.hour === 0 && t.minute === 0;
  if (a % 60_000 !== 0 || b % 60_000 !== 0 || !endsAtMidnight(start) || !endsAtMidnight(localTime(b, zone))) {
    return `${formatDateTime(from, zone)} – ${formatDateTime(to, zone)}`;
  }
  const last = localTime(b - 1, zone);
  if (start.year === last.year && start.month === last.month) {
    return start.day === last.day ? `${start.day} ${monthName(start.month)} ${start.year}` : `${start.day}–${last.day} ${monthName(start.month)} ${start.year}`;
  }
  if (start.year === last.year) return `${start.day} ${monthName(start.month)} – ${last.day} ${monthName(last.month)} ${last.year}`;
  return `${start.day} ${monthName(start.month)} ${start.year} – ${last.day} ${monthName(last.month)} ${last.year}`;
}

/**
 * A duration in the two largest units that matter: "42 s", "12 min 30 s", "2 h 5 min", "3 d 4 h". With
 * `maxUnit: "h"` days are not used ("1,260 h"): host-time summed over many hosts reads better in hours.
 */
export function formatDuration(seconds: number, options: { maxUnit?: "d" | "h" } = {}): string {
  if (!Number.isFinite(seconds)) return "n/a";
  const sign = seconds < 0 ? "-" : "";
  let s = Math.round(Math.abs(seconds));
  const units: [number, string][] = [
    ...(options.maxUnit === "h" ? [] : [[86_400, "d"] as [number, string]]),
    [3_600, "h"],
    [60, "min"],
    [1, "s"],
  ];
  const parts: string[] = [];
  for (const [size, name] of units) {
    const n = Math.floor(s / size);
    s -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${formatCount(n)} ${name}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p, i) => i === 0 || !p.startsWith("0 "));
  return sign + (shown.length ? shown.join(" ") : "0 s");
}

function decimalsOf(x: number): number {
  const s = String(x);
  if (s.includes("e")) return 6;
  const dot = s.indexOf(".");
  return dot < 0 ? 0 : s.length - dot - 1;
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** A target as configured: 99.9 → "99.9%". */
export function formatSlo(sloPct: number): string {
  return `${trimZeros(sloPct.toFixed(Math.min(decimalsOf(sloPct), 6)))}%`;
}

/**
 * Availability with one decimal more than the target has (at least two), rounded down: rounding up could
 * show 99.90% for a 99.8996% that missed a 99.9% target, and the figure must never contradict "not met".
 */
export function formatAvailability(pct: number | null, sloPct: number): string {
  if (pct === null || !Number.isFinite(pct)) return "n/a";
  const d = Math.min(Math.max(2, decimalsOf(sloPct) + 1), 6);
  const f = 10 ** d;
  // The epsilon absorbs binary noise (99.95 × 100 = 9994.999…), far below the shown precision.
  return `${trimZeros((Math.floor(pct * f + 1e-6) / f).toFixed(d))}%`;
}

/** A percentage to at most `digits` decimals, rounded, with thousands separators (a burn can pass 1,000%). */
export function formatPct(pct: number | null, digits = 2): string {
  if (pct === null || !Number.isFinite(pct)) return "n/a";
  return `${new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(pct)}%`;
}

/** Coverage rounded down, so 94.996% never shows as a reassuring 95%. */
export function formatCoverage(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return "n/a";
  return `${trimZeros((Math.floor(pct * 100 + 1e-6) / 100).toFixed(2))}%`;
}

const moneyFormatters = new Map<string, Intl.NumberFormat>();

function moneyFormatter(currency: string, whole: boolean): Intl.NumberFormat | null {
  const key = `${currency}|${whole}`;
  let f = moneyFormatters.get(key);
  if (f) return f;
  try {
    f = new Intl.NumberFormat("en-US", { style: "currency", currency, currencyDisplay: "code", ...(whole ? { maximumFractionDigits: 0, minimumFractionDigits: 0 } : {}) });
  } catch {
    return null;
  }
  moneyFormatters.set(key, f);
  return f;
}

/**
 * "EUR 4,210.35" (or "EUR 4,210" with `whole`), in the currency's own minor unit; a leading "-" or, with
 * `signed`, "+" for a change. Plain spaces: Intl's no-break space would not survive every copy and paste.
 */
export function formatMoney(amount: number, currency: string, options: { whole?: boolean; signed?: boolean } = {}): string {
  if (!Number.isFinite(amount)) return "n/a";
  const f = moneyFormatter(currency, options.whole ?? false);
  const abs = f ? f.format(Math.abs(amount)).replace(/\s/g, " ") : `${currency} ${Math.abs(amount).toFixed(2)}`;
  const sign = amount < 0 ? "-" : options.signed && amount > 0 ? "+" : "";
  return sign + abs;
}

/** A whole number with thousands separators: 1,234. */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 }).format(n) : "n/a";
}

const CAUSE_WORDS: Record<string, string> = {
  reboot: "reboot",
  crash: "crash",
  power_or_network: "power or network outage",
  site_network: "site network outage",
  check_failed: "failed check",
  agent_silent: "agent silent",
};

/** An incident's cause in words ("power_or_network" → "power or network outage"); unknown causes as their words. */
export function causeWords(cause: string): string {
  return CAUSE_WORDS[cause] ?? (plainText(cause).replace(/_/g, " ") || "unknown");
}

/**
 * Text from client machines made safe to show in a sentence or a table cell: control characters and
 * bidirectional overrides (which can make a hostname display as something else) become spaces or vanish.
 */
export function plainText(s: string): string {
  return s
    .replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g, "")
    .replace(/\p{Cc}/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}
