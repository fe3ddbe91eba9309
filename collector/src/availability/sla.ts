/**
 * SLA figures for a scope and a period, per DESIGN.md:
 *   S scheduled, E excluded (maintenance + excluded incidents), U unknown + unmonitored,
 *   T = S − E − U (time with evidence), D down;
 *   availability = 1 − D/T; coverage = T/(S − E), flagged under 95%;
 *   error budget = (1 − SLO) × T; burn = D / budget;
 *   MTTR = mean incident duration; MTBF = (T − D) / incidents; MTTA = mean(ack − detection).
 * Every ratio whose denominator is 0 is null (never NaN or Infinity, which JSON cannot carry).
 * Times are integer milliseconds. Over several hosts, times add up (host-milliseconds), so each
 * host's figures sum to the scope's.
 */
import { at, checkNumber, throwIfInvalid, type FieldProblem } from "./errors.js";
import { intersect, normalize, overlapLength, subtract, totalLength, type Interval } from "./intervals.js";
import { countedIncidents, type CountedIncident, type Incident, type SiteIncident } from "./incidents.js";
import { durationsByState, type Segment } from "./segments.js";

/** Below this coverage the report says the figure rests on too little evidence. */
export const COVERAGE_FLAG_BELOW = 0.95;

/** The time sums an SLA is computed from, in ms, all within scheduled time. */
export interface SlaTotals {
  /** S. */
  scheduledMs: number;
  /** Part of E: maintenance. */
  maintenanceMs: number;
  /** Part of E: DOWN time of incidents excluded from the SLA. */
  excludedIncidentMs: number;
  /** Part of U. */
  unknownMs: number;
  /** Part of U (scheduled time no segment covers counts here too). */
  unmonitoredMs: number;
  /** D, without excluded incidents. */
  downMs: number;
  degradedMs: number;
  upMs: number;
}

/** The SLA of one scope and period. */
export interface SlaFigures extends SlaTotals {
  sloPct: number;
  /** E = maintenance + excluded incidents. */
  excludedMs: number;
  /** T = S − E − U: time with evidence. */
  monitoredMs: number;
  /** 1 − D/T, or null when T = 0. */
  availability: number | null;
  availabilityPct: number | null;
  /** availability ≥ SLO (compared exactly), or null when T = 0. */
  met: boolean | null;
  /** T / (S − E), or null when S − E = 0. */
  coverage: number | null;
  coveragePct: number | null;
  /** Coverage under 95%: the availability rests on too little evidence. */
  coverageLow: boolean;
  /** (1 − SLO) × T, rounded half up to whole ms. */
  errorBudgetMs: number;
  /** D / budget, or null when the budget is 0. */
  errorBudgetBurn: number | null;
  errorBudgetBurnPct: number | null;
  /** Budget − D (negative when overspent). */
  errorBudgetRemainingMs: number;
  incidentCount: number;
  /** Mean incident duration, or null without incidents. */
  mttrMs: number | null;
  /** (T − D) / incidents, or null without incidents. */
  mtbfMs: number | null;
  /** Mean of acknowledgement − detection over incidents with both, or null when none has. */
  mttaMs: number | null;
  acknowledgedCount: number;
}

/** Problems with an SLO percentage: 0–100 with at most 4 decimals (99.9999). */
export function sloProblems(sloPct: unknown, field = "sloPct"): FieldProblem[] {
  const problems = checkNumber(sloPct, field, { min: 0, max: 100 });
  if (problems.length === 0 && Math.abs((sloPct as number) * 1e4 - Math.round((sloPct as number) * 1e4)) > 1e-6) {
    problems.push({ field, problem: "at most 4 decimal places (99.9999)" });
  }
  return problems;
}

/** Sums of a host's time by state within the schedule; DOWN time inside `excluded` moves to E. */
export function slaTotals(segments: readonly Segment[], schedule: readonly Interval[], excluded: readonly Interval[] = []): SlaTotals {
  const sched = normalize(schedule);
  const byState = durationsByState(segments, sched);
  const covered = intersect(normalize(segments), sched);
  const down = normalize(segments.filter((s) => s.state === "DOWN"));
  const excludedIncidentMs = totalLength(intersect(intersect(down, sched), excluded));
  return {
    scheduledMs: totalLength(sched),
    maintenanceMs: byState.MAINTENANCE,
    excludedIncidentMs,
    unknownMs: byState.UNKNOWN,
    unmonitoredMs: byState.UNMONITORED + totalLength(subtract(sched, covered)),
    downMs: byState.DOWN - excludedIncidentMs,
    degradedMs: byState.DEGRADED,
    upMs: byState.UP,
  };
}

/** Totals of several hosts added up. */
export function addTotals(list: readonly SlaTotals[]): SlaTotals {
  const sum: SlaTotals = { scheduledMs: 0, maintenanceMs: 0, excludedIncidentMs: 0, unknownMs: 0, unmonitoredMs: 0, downMs: 0, degradedMs: 0, upMs: 0 };
  for (const t of list) for (const k of Object.keys(sum) as (keyof SlaTotals)[]) sum[k] += t[k];
  return sum;
}

/** The figures from the totals, the SLO and the incidents that count. */
export function slaFigures(totals: SlaTotals, sloPct: number, incidents: readonly CountedIncident[]): SlaFigures {
  throwIfInvalid(sloProblems(sloPct));
  const S = totals.scheduledMs;
  const E = totals.maintenanceMs + totals.excludedIncidentMs;
  const U = totals.unknownMs + totals.unmonitoredMs;
  const T = S - E - U;
  const D = totals.downMs;
  // The SLO in parts per million keeps 99.9% exact: (1 − 0.999) is 0.0010000000000000009 in floating point.
  const sloPpm = BigInt(Math.round(sloPct * 1e4));
  const allowedPpm = 1_000_000n - sloPpm;
  const errorBudgetMs = Number((BigInt(Math.round(T)) * allowedPpm * 2n + 1_000_000n) / 2_000_000n);
  const availability = T > 0 ? 1 - D / T : null;
  const coverageBase = S - E;
  const coverage = coverageBase > 0 ? T / coverageBase : null;
  const burn = errorBudgetMs > 0 ? D / errorBudgetMs : null;
  const durations = incidents.map((i) => i.durationMs);
  const acked = incidents.filter((i) => i.detectedAt !== undefined && i.acknowledgedAt !== undefined);
  return {
    sloPct,
    ...totals,
    excludedMs: E,
    monitoredMs: T,
    availability,
    availabilityPct: availability === null ? null : availability * 100,
    met: T > 0 ? BigInt(Math.round(D)) * 1_000_000n <= BigInt(Math.round(T)) * allowedPpm : null,
    coverage,
    coveragePct: coverage === null ? null : coverage * 100,
    coverageLow: coverage !== null && coverage < COVERAGE_FLAG_BELOW,
    errorBudgetMs,
    errorBudgetBurn: burn,
    errorBudgetBurnPct: burn === null ? null : burn * 100,
    errorBudgetRemainingMs: errorBudgetMs - D,
    incidentCount: incidents.length,
    mttrMs: durations.length ? mean(durations) : null,
    mtbfMs: incidents.length ? (T - D) / incidents.length : null,
    mttaMs: acked.length ? mean(acked.map((i) => i.acknowledgedAt! - i.detectedAt!)) : null,
    acknowledgedCount: acked.length,
  };
}

/** What a scope's SLA is computed from. */
export interface ScopeSlaInput {
  sloPct: number;
  /** Scheduled time of the period (scheduledIntervals: business hours, or the whole period for 24x7). */
  schedule: readonly Interval[];
  /** Every host in the scope with its timeline over the period. */
  hosts: readonly { hostId: string; segments: readonly Segment[] }[];
  /** The hosts' incidents, annotated (exclusions, acknowledgements). */
  incidents?: readonly Incident[];
  /** Site incidents: each counts once in the scope's incident figures instead of its members. */
  siteIncidents?: readonly SiteIncident[];
}

/**
 * The SLA of a scope (client, site or host) and of each of its hosts. Only incidents that touch
 * scheduled time count in the incident figures (an incident at night is not one of business hours).
 */
export function scopeSla(input: ScopeSlaInput): { figures: SlaFigures; byHost: { hostId: string; figures: SlaFigures }[] } {
  throwIfInvalid([...sloProblems(input.sloPct), ...duplicateHostProblems(input.hosts)]);
  const schedule = normalize(input.schedule);
  const incidents = input.incidents ?? [];
  const touches = (i: { start: number; end: number }) => overlapLength(i, schedule) > 0;
  const incidentsOf = new Map<string, Incident[]>();
  for (const i of incidents) {
    const list = incidentsOf.get(i.hostId);
    if (list) list.push(i);
    else incidentsOf.set(i.hostId, [i]);
  }
  const byHost = [...input.hosts]
    .sort((a, b) => (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0))
    .map((h) => {
      const own = incidentsOf.get(h.hostId) ?? [];
      const excluded = own.filter((i) => i.excluded);
      const totals = slaTotals(h.segments, schedule, excluded);
      return { hostId: h.hostId, totals, figures: slaFigures(totals, input.sloPct, countedIncidents(own).filter(touches)) };
    });
  const hostIds = new Set(input.hosts.map((h) => h.hostId));
  const scopeIncidents = countedIncidents(
    incidents.filter((i) => hostIds.has(i.hostId)),
    input.siteIncidents ?? [],
  ).filter(touches);
  return {
    figures: slaFigures(
      addTotals(byHost.map((h) => h.totals)),
      input.sloPct,
      scopeIncidents,
    ),
    byHost: byHost.map(({ hostId, figures }) => ({ hostId, figures })),
  };
}

function duplicateHostProblems(hosts: readonly { hostId: string }[]): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  hosts.forEach((h, i) => {
    if (seen.has(h.hostId)) problems.push({ field: at("hosts", i, "hostId"), problem: `host ${JSON.stringify(h.hostId)} is listed twice` });
    seen.add(h.hostId);
  });
  return problems;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
