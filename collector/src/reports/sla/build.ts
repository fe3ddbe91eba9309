import {
  addTotals,
  countedIncidents,
  downtimeCost,
  nominalHoursPerYear,
  overlapLength,
  periodProblems,
  scopeSla,
  slaFigures,
  throwIfInvalid,
  WEEKDAYS,
  type DowntimeCost,
  type FieldProblem,
  type Incident,
  type Interval,
  type Schedule,
  type SlaFigures,
  type TimelineOptions,
} from "../../availability/index.js";
import { clientAvailability, type ClientAvailability } from "../../evidence/client-availability.js";
import { loadClientEvidence, type ClientEvidence } from "../../evidence/client-evidence.js";
import { DEFAULT_SLO_PCT } from "../../evidence/client-policy.js";
import type { Store } from "../../store/clickhouse.js";
import { ScopeNotFoundError } from "../errors.js";
import type { ReportCost, ReportHost, ReportHours, ReportIncident, ReportScope, ReportSiteIncident, SlaReport, SlaSummary } from "./report.js";
import { executiveSummary } from "./summary.js";

/** Longest period a report may cover. */
export const MAX_PERIOD_MS = 731 * 86_400_000;

/** What an SLA report is asked for. */
export interface SlaReportParams {
  clientId: string;
  from: number;
  to: number;
  siteId?: string;
  hostId?: string;
  hours: ReportHours;
}

/** What building a report needs besides its parameters. */
export interface ReportContext {
  store: Store;
  /** The agents' sample and check intervals: they set the gap thresholds of the timeline. */
  timeline: TimelineOptions;
  /** This process's run in collector_runs: alive now, though its last heartbeat may be seconds old. */
  collectorRunId?: string;
  now?: () => number;
}

/** Problems with report parameters: an ordered period of at most two years. */
export function reportParamsProblems(p: { from: number; to: number }): FieldProblem[] {
  const problems = periodProblems(p.from, p.to);
  if (problems.length === 0 && p.from === p.to) problems.push({ field: "to", problem: "must be after from" });
  if (problems.length === 0 && p.to - p.from > MAX_PERIOD_MS) problems.push({ field: "to", problem: "the period may be at most 2 years long" });
  return problems;
}

/**
 * The SLA and downtime-cost report of a client (or one of its sites or hosts) for a period, with the
 * same figures for the period before it. Throws InvalidInputError for bad parameters and
 * ScopeNotFoundError for an unknown client, site or host.
 */
export async function buildSlaReport(ctx: ReportContext, params: SlaReportParams): Promise<SlaReport> {
  throwIfInvalid(reportParamsProblems(params));
  const now = ctx.now?.() ?? Date.now();
  const length = params.to - params.from;
  const previousFrom = params.from - length;
  const evidence = await loadClientEvidence(ctx.store, params.clientId, previousFrom, params.to, now, ctx.collectorRunId);
  if (!evidence) throw new ScopeNotFoundError("clientId", `no client ${JSON.stringify(params.clientId)}`);
  return slaReportFrom(evidence, params, ctx.timeline, now);
}

/** The report from evidence already loaded (covering the period and the one before it). */
export function slaReportFrom(evidence: ClientEvidence, params: SlaReportParams, options: TimelineOptions, now: number): SlaReport {
  const scope = resolveScope(evidence, params);
  const current = clientAvailability(evidence, params.from, params.to, params.hours, options, now);
  const previous = clientAvailability(evidence, 2 * params.from - params.to, params.from, params.hours, options, now);
  const figures = scopeFigures(evidence, current, params);
  const previousFigures = scopeFigures(evidence, previous, params);
  const base = {
    kind: "sla" as const,
    generatedAt: new Date(now).toISOString(),
    scope,
    hours: params.hours,
    calendar: describeSchedule(current.calendar),
    ...summaryOf(figures, current, evidence),
    defaults: defaultsOf(evidence, figures.cost),
    incidents: reportIncidents(figures.incidents, evidence, figures.cost, current),
    siteIncidents: figures.siteIncidents.map((s): ReportSiteIncident => ({
      id: s.id,
      siteId: s.siteId,
      siteName: siteName(evidence, s.siteId),
      cause: s.cause,
      startedAt: iso(s.start),
      endedAt: iso(s.end),
      durationSeconds: seconds(s.durationMs),
      hostIds: s.hostIds,
    })),
    cost: reportCost(figures.cost),
    byHost: figures.byHost.map((h): ReportHost => {
      const a = current.hosts.find((x) => x.host.id === h.hostId)!;
      return {
        hostId: h.hostId,
        hostname: a.host.hostname,
        siteId: a.siteId,
        siteName: siteName(evidence, a.siteId),
        availabilityPct: h.figures.availabilityPct,
        downSeconds: seconds(h.figures.downMs),
        unknownSeconds: seconds(h.figures.unknownMs),
        unmonitoredSeconds: seconds(h.figures.unmonitoredMs),
        incidentCount: h.figures.incidentCount,
        cost: figures.cost.byHost.find((c) => c.hostId === h.hostId)?.cost ?? 0,
      };
    }),
    previousPeriod: previousFigures.hostCount > 0 ? summaryOf(previousFigures, previous, evidence) : null,
  };
  return { ...base, summary: executiveSummary(base) };
}

/** The figures of the report's scope over one period. */
interface ScopeFigures {
  figures: SlaFigures;
  byHost: { hostId: string; figures: SlaFigures }[];
  incidents: Incident[];
  siteIncidents: ClientAvailability["siteIncidents"];
  cost: DowntimeCost;
  hostCount: number;
}

/**
 * SLA figures per site (each in its own schedule) added up to the scope's, and the cost over the
 * client's whole fleet of shares. A site incident counts once at client and site scope; at host scope
 * the host's own incidents count.
 */
export function scopeFigures(evidence: ClientEvidence, a: ClientAvailability, params: Pick<SlaReportParams, "siteId" | "hostId">): ScopeFigures {
  const inScope = (siteId: string, hostId: string) => (params.siteId === undefined || siteId === params.siteId) && (params.hostId === undefined || hostId === params.hostId);
  const hosts = a.hosts.filter((h) => inScope(h.siteId, h.host.id));
  const hostIds = new Set(hosts.map((h) => h.host.id));
  const incidents = a.incidents.filter((i) => hostIds.has(i.hostId));
  const siteIncidents = params.hostId === undefined ? a.siteIncidents.filter((s) => s.hostIds.some((id) => hostIds.has(id))) : [];
  const slo = evidence.policy.sloPct ?? DEFAULT_SLO_PCT;
  const perSite = [...new Set(hosts.map((h) => h.siteId))].sort().map((siteId) => {
    const schedule = a.siteSchedules.get(siteId) ?? [];
    const siteHosts = hosts.filter((h) => h.siteId === siteId);
    const siteIncidentsHere = siteIncidents.filter((s) => s.siteId === siteId);
    const result = scopeSla({ sloPct: slo, schedule, hosts: siteHosts.map((h) => ({ hostId: h.host.id, segments: h.segments })), incidents, siteIncidents: siteIncidentsHere });
    const touches = (i: Interval) => overlapLength(i, schedule) > 0;
    const counted = countedIncidents(
      incidents.filter((i) => siteHosts.some((h) => h.host.id === i.hostId)),
      siteIncidentsHere,
    ).filter(touches);
    return { result, counted };
  });
  const figures = slaFigures(
    addTotals(perSite.map((s) => s.result.figures)),
    slo,
    perSite.flatMap((s) => s.counted),
  );
  const cost = downtimeCost({
    model: { ...(evidence.policy.costModel ?? {}), currency: evidence.client.currency },
    hosts: a.hosts.map((h) => {
      const share = evidence.profiles.get(h.host.id)?.businessShare;
      return share === null || share === undefined ? { hostId: h.host.id } : { hostId: h.host.id, share };
    }),
    // Only the part inside the period costs money in this report.
    incidents: incidents
      .filter((i) => !i.excluded)
      .map((i) => ({ id: i.id, hostId: i.hostId, start: Math.max(i.start, a.from), end: Math.min(i.end, a.to), ...(i.siteIncidentId ? { recoveryKey: i.siteIncidentId } : {}) })),
    businessHours: a.businessHours,
    defaultOperatingHoursPerYear: nominalHoursPerYear(a.calendar),
  });
  return { figures, byHost: perSite.flatMap((s) => s.result.byHost), incidents, siteIncidents, cost, hostCount: hosts.length };
}

function summaryOf(f: ScopeFigures, a: ClientAvailability, evidence: ClientEvidence): SlaSummary {
  return slaSummary(f.figures, f.cost.total, { from: a.from, to: a.to, timezone: evidence.client.timezone });
}

/** The report's figures of a scope and period: seconds rounded, ratios as computed. */
export function slaSummary(x: SlaFigures, costTotal: number, period: { from: number; to: number; timezone: string }): SlaSummary {
  return {
    period: { from: iso(period.from), to: iso(period.to), timezone: period.timezone },
    sloPct: x.sloPct,
    availabilityPct: x.availabilityPct,
    met: x.met,
    scheduledSeconds: seconds(x.scheduledMs),
    excludedSeconds: seconds(x.excludedMs),
    unmonitoredSeconds: seconds(x.unmonitoredMs),
    unknownSeconds: seconds(x.unknownMs),
    downSeconds: seconds(x.downMs),
    degradedSeconds: seconds(x.degradedMs),
    monitoredSeconds: seconds(x.monitoredMs),
    coveragePct: x.coveragePct,
    coverageLow: x.coverageLow,
    errorBudgetSeconds: seconds(x.errorBudgetMs),
    errorBudgetBurnPct: x.errorBudgetBurnPct,
    incidentCount: x.incidentCount,
    mttrSeconds: x.mttrMs === null ? null : seconds(x.mttrMs),
    mtbfSeconds: x.mtbfMs === null ? null : seconds(x.mtbfMs),
    mttaSeconds: x.mttaMs === null ? null : seconds(x.mttaMs),
    costTotal,
  };
}

/** The incidents as the report lists them, with their cost. */
export function reportIncidents(incidents: readonly Incident[], evidence: ClientEvidence, cost: DowntimeCost, a: ClientAvailability): ReportIncident[] {
  const hostname = new Map(a.hosts.map((h) => [h.host.id, h.host.hostname]));
  const costOf = new Map(cost.byIncident.map((c) => [c.id, c.cost]));
  return incidents.map((i) => ({
    id: i.id,
    hostId: i.hostId,
    hostname: hostname.get(i.hostId) ?? i.hostId,
    siteId: i.siteId,
    siteName: siteName(evidence, i.siteId),
    cause: i.cause,
    startedAt: iso(i.start),
    endedAt: iso(i.end),
    durationSeconds: seconds(i.durationMs),
    businessSeconds: seconds(i.businessMs),
    cost: costOf.get(i.id) ?? 0,
    excluded: i.excluded,
    exclusionReason: i.exclusionReason ?? null,
    note: i.note ?? null,
    siteIncidentId: i.siteIncidentId ?? null,
    clipped: i.startClipped || i.endClipped,
  }));
}

function reportCost(c: DowntimeCost): ReportCost {
  return {
    currency: c.currency,
    total: c.total,
    revenue: c.revenue,
    productivity: c.productivity,
    recovery: c.recovery,
    penalty: c.penalty,
    intangible: c.intangible,
    formula: c.formula,
    inputs: {
      model: { ...c.inputs.model },
      defaults: c.inputs.defaults.filter((d) => d !== "currency"),
      costPerHour: c.inputs.costPerHour,
      chargedHours: c.inputs.chargedHours,
      recoveryIncidents: c.inputs.recoveryIncidents,
    },
  };
}

function defaultsOf(evidence: ClientEvidence, cost: DowntimeCost): string[] {
  const out: string[] = [];
  if (evidence.policy.sloPct === undefined) out.push("sloPct");
  if (evidence.policy.businessCalendar === undefined) out.push("businessCalendar");
  for (const d of cost.inputs.defaults) if (d !== "currency") out.push(`costModel.${d}`);
  return out;
}

function resolveScope(evidence: ClientEvidence, params: SlaReportParams): ReportScope {
  const site = params.siteId === undefined ? undefined : evidence.sites.find((s) => s.id === params.siteId);
  if (params.siteId !== undefined && !site) throw new ScopeNotFoundError("siteId", `no site ${JSON.stringify(params.siteId)} of this client`);
  const host = params.hostId === undefined ? undefined : evidence.hosts.find((h) => h.host.id === params.hostId)?.host;
  if (params.hostId !== undefined && (!host || (site && host.site_id !== site.id))) {
    throw new ScopeNotFoundError("hostId", `no host ${JSON.stringify(params.hostId)} of this ${site ? "site" : "client"}`);
  }
  const hostSite = host ? evidence.sites.find((s) => s.id === host.site_id) : site;
  return {
    level: host ? "host" : site ? "site" : "client",
    clientId: evidence.client.id,
    clientName: evidence.client.name,
    siteId: hostSite?.id ?? null,
    siteName: hostSite?.name ?? null,
    hostId: host?.id ?? null,
    hostname: host?.hostname ?? null,
  };
}

/** The calendar in words: "Mon–Fri 08:00–18:00 (Europe/Berlin), 2 holidays", or "24x7". */
export function describeSchedule(schedule: Schedule): string {
  if (schedule === "24x7") return "24x7";
  const label = (d: string) => d.charAt(0).toUpperCase() + d.slice(1);
  const days = WEEKDAYS.map((d) => ({ day: d, text: (schedule.weekly[d] ?? []).map((w) => `${w.start}–${w.end}`).join(", ") }));
  const parts: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1]!.text === days[i]!.text) j++;
    if (days[i]!.text) parts.push(`${label(days[i]!.day)}${j > i ? `–${label(days[j]!.day)}` : ""} ${days[i]!.text}`);
    i = j + 1;
  }
  const holidays = schedule.holidays?.length ? `, ${schedule.holidays.length} holiday${schedule.holidays.length === 1 ? "" : "s"}` : "";
  return `${parts.join("; ") || "no business hours"} (${schedule.timezone})${holidays}`;
}

function siteName(evidence: ClientEvidence, siteId: string): string {
  return evidence.sites.find((s) => s.id === siteId)?.name ?? siteId;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

