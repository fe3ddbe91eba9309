// Checks the settings forms run before sending, so the common mistakes are caught without a round trip.
// The server checks everything again; its field errors are shown the same way.

/** "required" when the text is blank. */
export function required(value: string): string | undefined {
  return value.trim() === "" ? "required" : undefined;
}

/** A number from `min` to `max` (whole when `integer`); blank is fine unless `needed`. */
export function numberIn(value: string, min: number, max: number, opts: { integer?: boolean; needed?: boolean } = {}): string | undefined {
  if (value.trim() === "") return opts.needed ? "required" : undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) return "must be a number";
  if (opts.integer && !Number.isInteger(n)) return `must be a whole number from ${min} to ${max}`;
  if (n < min || n > max) return `must be from ${min} to ${max}`;
  return undefined;
}

/** The number typed, or undefined when blank. */
export function numberOrUndefined(value: string): number | undefined {
  return value.trim() === "" ? undefined : Number(value);
}

/** An absolute http(s) URL. */
export function httpUrl(value: string, needed = true): string | undefined {
  if (value.trim() === "") return needed ? "required" : undefined;
  try {
    const url = new URL(value.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return "must start with http:// or https://";
    return undefined;
  } catch {
    return "must be an absolute URL, e.g. https://hooks.example.com/…";
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Addresses typed one per line or separated by commas. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Every item an e-mail address; at most `max`. */
export function emails(list: string[], max: number, needed = false): string | undefined {
  if (list.length === 0) return needed ? "needs at least one address" : undefined;
  if (list.length > max) return `at most ${max} addresses`;
  const bad = list.find((a) => !EMAIL.test(a));
  return bad ? `"${bad}" is not an e-mail address` : undefined;
}

/** Local time HH:MM (24:00 allowed when `allowEndOfDay`). */
export function clockTime(value: string, allowEndOfDay = false): string | undefined {
  if (value === "") return "required";
  if (allowEndOfDay && value === "24:00") return undefined;
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value) ? undefined : "must be a time HH:MM";
}

/** A date YYYY-MM-DD that exists. */
export function isoDate(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return "must be a date YYYY-MM-DD";
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? "is not a real date" : undefined;
}

/** A currency code as ISO 4217 spells it. */
export function currencyCode(value: string): string | undefined {
  return /^[A-Z]{3}$/.test(value.trim()) ? undefined : "must be 3 capital letters, e.g. EUR or USD";
}

/** The browser's list of IANA time zones, for suggestions (the server decides what is valid). */
export function timeZones(): string[] {
  try {
    return ["UTC", ...Intl.supportedValuesOf("timeZone")];
  } catch {
    return ["UTC"];
  }
}
