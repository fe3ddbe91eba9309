// How the report page says its figures. The rules are the collector's own (collector/src/reports/sla/format.ts,
// which the PDF renderer uses), imported rather than copied, so a figure on the page reads exactly as it does in
// the PDF a vCIO hands to the client: availability rounded down, money as "EUR 1,234.50", dates in the client's zone.
import { formatCount, formatMoney, formatPct, formatSlo, formatDuration as durationWords } from "@vigil/collector/src/reports/sla/format";

export { causeWords, formatAvailability, formatCount, formatCoverage, formatDateTime, formatMoney, formatPct, formatPeriod, formatSlo } from "@vigil/collector/src/reports/sla/format";

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

/** "42 s", "12 min 30 s", "2 h 5 min", "3 d 4 h"; "n/a" for a figure the report does not have. */
export function formatDuration(seconds: number | null, options: { maxUnit?: "d" | "h" } = {}): string {
  return seconds === null ? "n/a" : durationWords(seconds, options);
}

/** Host-time in hours and minutes (summed over hosts, days would mislead). */
export function formatHours(seconds: number | null): string {
  return formatDuration(seconds, { maxUnit: "h" });
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
