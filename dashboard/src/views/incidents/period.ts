/** The periods the incident list offers; `custom` reads its own from/to dates. */
export const PERIODS = [
  ["7", "Last 7 days"],
  ["30", "Last 30 days"],
  ["90", "Last 90 days"],
  ["custom", "Custom dates"],
] as const;

export type PeriodChoice = (typeof PERIODS)[number][0];

const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` date input's value as local midnight; undefined when it is not a date. */
function localMidnight(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isNaN(t) ? undefined : t;
}

/** A local date as a date input's `YYYY-MM-DD`. */
export function dateInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** The instants a period covers, or the problem per field of a custom period that does not make sense. */
export function periodRange(
  choice: PeriodChoice,
  custom: { from: string; to: string },
  now = Date.now(),
): { from: number; to: number } | { errors: { from?: string; to?: string } } {
  if (choice !== "custom") return { from: now - Number(choice) * DAY_MS, to: now };
  const from = localMidnight(custom.from);
  const toDay = localMidnight(custom.to);
  const errors: { from?: string; to?: string } = {};
  if (from === undefined) errors.from = "Pick the first day.";
  else if (from >= now) errors.from = "The first day must not be in the future.";
  if (toDay === undefined) errors.to = "Pick the last day.";
  else if (from !== undefined && toDay < from) errors.to = "The last day must not be before the first.";
  if (errors.from || errors.to) return { errors };
  // The last day counts whole; nothing after now has happened yet.
  return { from: from!, to: Math.min(toDay! + DAY_MS, now) };
}
