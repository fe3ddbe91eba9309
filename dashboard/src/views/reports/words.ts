// How the report page says its figures. These follow the collector's PDF renderer
// (collector/src/reports/sla/format.ts and pdf.ts) rule for rule, so a figure on the page reads exactly as
// it does in the PDF a vCIO hands to the client: availability rounded down, money as "EUR 1,234.50",
// host-time in hours, dates in the client's zone.

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const two = (n: number) => String(n).padStart(2, "0");

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

/** Availability with one decimal more than the target (at least two), rounded down so it never contradicts "not met". */
export function formatAvailability(pct: number | null, sloPct: number): string {
  if (pct === null || !Number.isFinite(pct)) return "n/a";
  const d = Math.min(Math.max(2, decimalsOf(sloPct) + 1), 6);
  const f = 10 ** d;
  return `${trimZeros((Math.floor(pct * f + 1e-6) / f).toFixed(d))}%`;
}

/** "three nines" for 99.9: how people say availability targets. */
export function ninesWords(pct: number | null): string {
  // Nines only mean something near the top: 48% is not "no nines", it is just low.
  if (pct === null || !Number.isFinite(pct) || pct < 90) return "";
  if (pct >= 100) return "no down time";
  const nines = -Math.log10(1 - pct / 100);
  const whole = Math.floor(nines + 1e-9);
  const names = ["", "one nine", "two nines", "three nines", "four nines", "five nines", "six nines"];
  const name = names[Math.min(whole, 6)] ?? `${whole} nines`;
  return nines - whole > 0.01 ? `a little over ${name}` : name;
}

/** A percentage to at most `digits` decimals with thousands separators (a burn can pass 1,000%). */
export function formatPct(pct: number | null, digits = 2): string {
  if (pct === null || !Number.isFinite(pct)) return "n/a";
  return `${new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(pct)}%`;
}

/** Coverage rounded down, so 94.996% never shows as a reassuring 95%. */
export function formatCoverage(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return "n/a";
  return `${trimZeros((Math.floor(pct * 100 + 1e-6) / 100).toFixed(2))}%`;
}

/** "EUR 4,210.35" in the currency's minor unit; `signed` adds "+" to a rise. */
export function formatMoney(amount: number, currency: string, options: { signed?: boolean } = {}): string {
  if (!Number.isFinite(amount)) return "n/a";
  let abs: string;
  try {
    abs = new Intl.NumberFormat("en-US", { style: "currency", currency, currencyDisplay: "code" }).format(Math.abs(amount)).replace(/\s/g, " ");
  } catch {
    abs = `${currency} ${Math.abs(amount).toFixed(2)}`;
  }
  return (amount < 0 ? "-" : options.signed && amount > 0 ? "+" : "") + abs;
}

/** A whole number with thousands separators. */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 }).format(n) : "n/a";
}

/** "42 s", "12 min 30 s", "2 h 5 min", "3 d 4 h"; with `maxUnit: "h"` no days (host-time summed over hosts). */
export function formatDuration(seconds: number | null, options: { maxUnit?: "d" | "h" } = {}): string {
  if (seconds === null || !Number.isFinite(seconds)) return "n/a";
  const sign = seconds < 0 ? "-" : "";
  let s = Math.round(Math.abs(seconds));
  const units: [number, string][] = [...(options.maxUnit === "h" ? [] : [[86_400, "d"] as [number, string]]), [3_600, "h"], [60, "min"], [1, "s"]];
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

/** Host-time in hours and minutes. */
export function formatHours(seconds: number | null): string {
  return formatDuration(seconds, { maxUnit: "h" });
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wall(ms: number, zone: string): Wall {
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" });
  } catch {
    f = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" });
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) if (part.type !== "literal") p[part.type] = Number(part.value);
  return { year: p.year ?? 0, month: p.month ?? 1, day: p.day ?? 1, hour: (p.hour ?? 0) % 24, minute: p.minute ?? 0 };
}

const monthName = (m: number) => MONTHS[m - 1] ?? String(m);

/** "3 May 2026 14:05" in the zone. */
export function formatDateTime(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const t = wall(ms, zone);
  return `${t.day} ${monthName(t.month).slice(0, 3)} ${t.year} ${two(t.hour)}:${two(t.minute)}`;
}

/** A half-open period in words: "1–31 May 2026", "1 April – 30 June 2026"; bounds off midnight get times. */
export function formatPeriod(from: string, to: string, zone: string): string {
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) return `${formatDateTime(from, zone)} – ${formatDateTime(to, zone)}`;
  const start = wall(a, zone);
  const midnight = (t: Wall) => t.hour === 0 && t.minute === 0;
  if (a % 60_000 !== 0 || b % 60_000 !== 0 || !midnight(start) || !midnight(wall(b, zone))) return `${formatDateTime(from, zone)} – ${formatDateTime(to, zone)}`;
  const last = wall(b - 1, zone);
  if (start.year === last.year && start.month === last.month) {
    return start.day === last.day ? `${start.day} ${monthName(start.month)} ${start.year}` : `${start.day}–${last.day} ${monthName(start.month)} ${start.year}`;
  }
  if (start.year === last.year) return `${start.day} ${monthName(start.month)} – ${last.day} ${monthName(last.month)} ${last.year}`;
  return `${start.day} ${monthName(start.month)} ${start.year} – ${last.day} ${monthName(last.month)} ${last.year}`;
}

const CAUSE_WORDS: Record<string, string> = {
  reboot: "reboot",
  crash: "crash",
  power_or_network: "power or network outage",
  site_network: "site network outage",
  check_failed: "failed check",
  agent_silent: "agent silent",
};

/** An incident's cause in words. */
export function causeWords(cause: string): string {
  return CAUSE_WORDS[cause] ?? cause.replace(/_/g, " ");
}

/** The cost model's fields in the order the formula uses them, with their meaning in words. */
const MODEL_FIELDS: Record<string, { label: string; kind: "money" | "share" | "hours" | "count" | "text" }> = {
  currency: { label: "Currency", kind: "text" },
  annualRevenue: { label: "Annual revenue", kind: "money" },
  operatingHoursPerYear: { label: "Operating hours per year", kind: "hours" },
  itDependenceShare: { label: "Share of revenue that depends on IT", kind: "share" },
  employees: { label: "Employees", kind: "count" },
  loadedHourlyCost: { label: "Loaded hourly cost per employee", kind: "money" },
  productivityLossShare: { label: "Productivity lost while IT is down", kind: "share" },
  recoveryCostPerIncident: { label: "Recovery cost per incident", kind: "money" },
  slaPenaltyPerHour: { label: "SLA penalty per hour down", kind: "money" },
  intangiblesShare: { label: "Intangibles added on top", kind: "share" },
  offHoursFactor: { label: "Weight of downtime outside business hours", kind: "share" },
};
const MODEL_ORDER = Object.keys(MODEL_FIELDS);

/** Cost-model field names in the formula's order. */
export function sortModelFields(fields: string[]): string[] {
  const rank = (f: string) => (MODEL_ORDER.indexOf(f) < 0 ? MODEL_ORDER.length : MODEL_ORDER.indexOf(f));
  return [...fields].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A cost-model field in words. */
export function modelLabel(field: string): string {
  return MODEL_FIELDS[field]?.label ?? field;
}

/** A cost-model value as the PDF shows it. */
export function modelValue(field: string, value: number | string, currency: string): string {
  if (typeof value === "string") return value;
  switch (MODEL_FIELDS[field]?.kind) {
    case "money":
      return formatMoney(value, currency);
    case "share":
      return formatPct(value * 100, 4);
    case "hours":
      return `${formatCount(value)} h`;
    default:
      return formatCount(value);
  }
}

/** A setting that took a default, in words with the value assumed. */
export function defaultWords(d: string, r: { sloPct: number; calendar: string; cost: { currency: string; inputs: { model: Record<string, number | string> } } }): string {
  if (d === "sloPct") return `SLA target: ${formatSlo(r.sloPct)}`;
  if (d === "businessCalendar") return `Business hours: ${r.calendar || "none"}`;
  if (d.startsWith("costModel.")) {
    const field = d.slice("costModel.".length);
    const value = r.cost.inputs.model[field];
    return `${modelLabel(field)}${value === undefined ? "" : `: ${modelValue(field, value, r.cost.currency)}`}`;
  }
  return d;
}
