import { businessCalendarProblems, nominalHoursPerYear, type Schedule } from "../availability/business-calendar.js";
import { resolveCostModel, costModelProblems, type CostModel } from "../availability/cost.js";
import type { FieldProblem } from "../availability/errors.js";
import { sloProblems } from "../availability/sla.js";
import type { ClientPolicy } from "../store/queries/policies.js";

// A client's policy as reports apply it: the stored fields, checked by the availability core, with defaults.

/** SLA target when a client has none. */
export const DEFAULT_SLO_PCT = 99.9;

/** Scheduled hours when a client has no business calendar: every hour counts. */
export const DEFAULT_SCHEDULE = "24x7" as const;

/** The policy fields a PATCH may set or (with null) remove. */
export const POLICY_FIELDS = ["sloPct", "businessCalendar", "costModel", "reportRecipients", "reportSchedule"] as const;

/** What reports use for a client, and which settings took a default. */
export interface EffectivePolicy {
  sloPct: number;
  /** The calendar in the client's time zone, or "24x7". */
  businessCalendar: "24x7" | { timezone: string; weekly: Record<string, { start: string; end: string }[]>; holidays: string[] };
  /** The cost model with defaults filled in; the currency is the client's. */
  costModel: CostModel;
  reportRecipients: string[];
  reportSchedule: { monthly: boolean; quarterly: boolean };
  /** Settings that take a default: `sloPct`, `businessCalendar`, `costModel.<field>` (as SLA reports list them). */
  defaults: string[];
}

/** The schedule reports count for a client: its calendar in its time zone, or 24x7 when it has none. */
export function clientSchedule(client: { timezone: string }, policy: ClientPolicy): Schedule {
  const cal = policy.businessCalendar;
  if (cal === undefined || cal === "24x7") return "24x7";
  return { timezone: client.timezone, weekly: cal.weekly, holidays: cal.holidays ?? [] };
}

/**
 * Every problem the availability core finds with a policy of a client in this time zone, fields named as in the
 * request (`businessCalendar.weekly.fri[0].end`, `costModel.annualRevenue`, `sloPct`).
 */
export function policyProblems(policy: ClientPolicy, timezone: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (policy.sloPct !== undefined) problems.push(...sloProblems(policy.sloPct, "sloPct"));
  const cal = policy.businessCalendar;
  if (cal !== undefined && cal !== "24x7") {
    // The calendar's zone is the client's: a problem with it is the client's timezone field.
    for (const p of businessCalendarProblems({ ...cal, timezone })) problems.push(p.field === "timezone" ? p : { ...p, field: `businessCalendar.${p.field}` });
  }
  if (policy.costModel !== undefined) {
    if ("currency" in policy.costModel) problems.push({ field: "costModel.currency", problem: "not settable: downtime cost is in the client's currency" });
    problems.push(...costModelProblems(policy.costModel, "costModel"));
  }
  return problems;
}

/**
 * The values reports use for a client with this (valid) policy. Without a calendar every hour is scheduled
 * (24x7), and operatingHoursPerYear defaults to the schedule's nominal hours (8,760 for 24x7), so a year of
 * downtime never costs more than the business's IT-dependent revenue.
 */
export function effectivePolicy(client: { timezone: string; currency: string }, policy: ClientPolicy): EffectivePolicy {
  const defaults: string[] = [];
  if (policy.sloPct === undefined) defaults.push("sloPct");
  if (policy.businessCalendar === undefined) defaults.push("businessCalendar");
  const cal = policy.businessCalendar;
  const schedule = clientSchedule(client, policy);
  const cost = resolveCostModel({ ...policy.costModel, currency: client.currency }, { defaultOperatingHoursPerYear: nominalHoursPerYear(schedule) });
  defaults.push(...cost.defaults.map((k) => `costModel.${k}`));
  return {
    sloPct: policy.sloPct ?? DEFAULT_SLO_PCT,
    businessCalendar: cal === undefined || cal === "24x7" ? "24x7" : { timezone: client.timezone, weekly: cal.weekly, holidays: cal.holidays ?? [] },
    costModel: cost.model,
    reportRecipients: policy.reportRecipients ?? [],
    reportSchedule: { monthly: policy.reportSchedule?.monthly ?? false, quarterly: policy.reportSchedule?.quarterly ?? false },
    defaults,
  };
}

/** The policy after a PATCH: each policy field given replaces the stored one whole; null removes it. */
export function patchPolicy(policy: ClientPolicy, patch: Partial<Record<(typeof POLICY_FIELDS)[number], unknown>>): ClientPolicy {
  const out: Record<string, unknown> = { ...policy };
  for (const field of POLICY_FIELDS) {
    const value = patch[field];
    if (value === null) delete out[field];
    else if (value !== undefined) out[field] = field === "reportRecipients" ? dedupe(value as string[]) : value;
  }
  return out as ClientPolicy;
}

// Recipients once each, in the order given (addresses compared case-insensitively).
function dedupe(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}
