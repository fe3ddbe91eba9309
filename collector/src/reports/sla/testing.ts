/**
 * SLA report fixtures for the renderers' tests (not shipped: the collector's tsconfig leaves testing.ts
 * out). The cost comes from the real downtimeCost, so the formula is the one a client would see; the SLA
 * figures are derived from the same incidents, so the report adds up.
 */
import { downtimeCost, type CostIncident, type DownCause, type Interval } from "../../availability/index.js";
import type { ReportHost, ReportIncident, ReportSiteIncident, SlaReport, SlaSummary } from "./report.js";
import { executiveSummary } from "./summary.js";

const H = 3_600_000;

/** A host of the fixture client. */
interface FixtureHost {
  hostId: string;
  hostname: string;
  siteId: string;
  siteName: string;
  share: number;
}

/** One incident to put in a fixture, in UTC. */
export interface FixtureIncident {
  hostId: string;
  cause: DownCause;
  start: string;
  end: string;
  excluded?: string;
  note?: string;
  siteIncidentId?: string;
  clipped?: boolean;
}

const MAIN = { siteId: "site-main", siteName: "Main Office" };
const BRANCH = { siteId: "site-branch", siteName: "Branch Potsdam" };

/** Acme Dental's hosts: a file server and a domain controller that stop the practice, and workstations. */
export const FIXTURE_HOSTS: FixtureHost[] = [
  { hostId: "h-fs1", hostname: "fs1.acme.local", ...MAIN, share: 1 },
  { hostId: "h-dc1", hostname: "dc1.acme.local", ...MAIN, share: 1 },
  { hostId: "h-ws-anna", hostname: "ws-anna", ...MAIN, share: 0.05 },
  { hostId: "h-ws-ben", hostname: "ws-ben", ...MAIN, share: 0.05 },
  { hostId: "h-branch-fs", hostname: "branch-fs.acme.local", ...BRANCH, share: 0.5 },
  { hostId: "h-ws-carl", hostname: "ws-carl", ...BRANCH, share: 0.05 },
];

/** May 2026 in Berlin (CEST, UTC+2). */
export const PERIOD = { from: "2026-04-30T22:00:00.000Z", to: "2026-05-31T22:00:00.000Z", timezone: "Europe/Berlin" };
const PREVIOUS = { from: "2026-03-30T22:00:00.000Z", to: "2026-04-30T22:00:00.000Z", timezone: "Europe/Berlin" };

/** The month's incidents: a power cut at the main office, a crash at the branch, and a few smaller ones. */
export const FIXTURE_INCIDENTS: FixtureIncident[] = [
  // Tuesday 5 May, 10:12–11:47 CEST: the whole main office went dark.
  { hostId: "h-fs1", cause: "power_or_network", start: "2026-05-05T08:12:00.000Z", end: "2026-05-05T09:47:00.000Z", siteIncidentId: "site-main@1777968720000" },
  { hostId: "h-dc1", cause: "power_or_network", start: "2026-05-05T08:12:00.000Z", end: "2026-05-05T09:46:00.000Z", siteIncidentId: "site-main@1777968720000" },
  { hostId: "h-ws-anna", cause: "power_or_network", start: "2026-05-05T08:12:30.000Z", end: "2026-05-05T09:50:00.000Z", siteIncidentId: "site-main@1777968720000" },
  // Thursday 14 May, 14:00–14:25 CEST.
  { hostId: "h-branch-fs", cause: "crash", start: "2026-05-14T12:00:00.000Z", end: "2026-05-14T12:25:00.000Z", note: "Failed RAID controller firmware update" },
  // Wednesday 20 May, 07:30–07:40 CEST: before business hours, so it costs nothing.
  { hostId: "h-fs1", cause: "reboot", start: "2026-05-20T05:30:00.000Z", end: "2026-05-20T05:40:00.000Z" },
  // Wednesday 27 May, 09:00–10:00 CEST: agreed with the client as planned work.
  { hostId: "h-ws-ben", cause: "check_failed", start: "2026-05-27T07:00:00.000Z", end: "2026-05-27T08:00:00.000Z", excluded: "Planned migration to the new practice software" },
  // Friday 29 May 17:30 CEST, silent past the end of the period.
  { hostId: "h-ws-carl", cause: "agent_silent", start: "2026-05-29T15:30:00.000Z", end: "2026-05-31T22:00:00.000Z", clipped: true },
];

/** Mon–Fri 08:00–18:00 CEST as UTC intervals for May 2026. */
function businessHours(): Interval[] {
  const out: Interval[] = [];
  for (let d = 1; d <= 31; d++) {
    const weekday = new Date(Date.UTC(2026, 4, d)).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    out.push({ start: Date.UTC(2026, 4, d, 6), end: Date.UTC(2026, 4, d, 16) });
  }
  return out;
}

function overlap(a: Interval, bs: readonly Interval[]): number {
  return bs.reduce((sum, b) => sum + Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start)), 0);
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** Options for the fixture report. */
export interface FixtureOptions {
  hosts?: FixtureHost[];
  incidents?: FixtureIncident[];
  clientName?: string;
  hours?: "business" | "all";
  sloPct?: number;
  /** Seconds per host that are UNKNOWN (to push coverage down). */
  unknownSecondsPerHost?: number;
  previous?: boolean;
}

/** A complete, self-consistent SLA report of Acme Dental GmbH for May 2026. */
export function fixtureReport(options: FixtureOptions = {}): SlaReport {
  const hosts = options.hosts ?? FIXTURE_HOSTS;
  const fixtureIncidents = options.incidents ?? FIXTURE_INCIDENTS;
  const hours = options.hours ?? "business";
  const sloPct = options.sloPct ?? 99.9;
  const schedule = hours === "business" ? businessHours() : [{ start: Date.parse(PERIOD.from), end: Date.parse(PERIOD.to) }];
  const scheduledPerHost = schedule.reduce((s, i) => s + i.end - i.start, 0);
  const hostOf = new Map(hosts.map((h) => [h.hostId, h]));

  const costIncidents: CostIncident[] = fixtureIncidents
    .filter((i) => !i.excluded)
    .map((i) => ({ id: `${i.hostId}@${Date.parse(i.start)}`, hostId: i.hostId, start: Date.parse(i.start), end: Date.parse(i.end), ...(i.siteIncidentId ? { recoveryKey: i.siteIncidentId } : {}) }));
  const cost = downtimeCost({
    model: { currency: "EUR", annualRevenue: 3_000_000, operatingHoursPerYear: 2_600, itDependenceShare: 0.4, employees: 25, loadedHourlyCost: 50, productivityLossShare: 0.6, recoveryCostPerIncident: 300, intangiblesShare: 0.1 },
    hosts: hosts.map((h) => ({ hostId: h.hostId, share: h.share })),
    incidents: costIncidents,
    businessHours: hours === "business" ? schedule : "24x7",
  });
  const costOf = new Map(cost.byIncident.map((c) => [c.id, c.cost]));

  const incidents: ReportIncident[] = fixtureIncidents.map((i) => {
    const h = hostOf.get(i.hostId)!;
    const id = `${i.hostId}@${Date.parse(i.start)}`;
    const span = { start: Date.parse(i.start), end: Date.parse(i.end) };
    return {
      id,
      hostId: i.hostId,
      hostname: h.hostname,
      siteId: h.siteId,
      siteName: h.siteName,
      cause: i.cause,
      startedAt: i.start,
      endedAt: i.end,
      durationSeconds: seconds(span.end - span.start),
      businessSeconds: seconds(overlap(span, businessHours())),
      cost: costOf.get(id) ?? 0,
      excluded: i.excluded !== undefined,
      exclusionReason: i.excluded ?? null,
      note: i.note ?? null,
      siteIncidentId: i.siteIncidentId ?? null,
      clipped: i.clipped ?? false,
    };
  });

  const siteIncidentIds = [...new Set(incidents.flatMap((i) => (i.siteIncidentId ? [i.siteIncidentId] : [])))];
  const siteIncidents: ReportSiteIncident[] = siteIncidentIds.map((id) => {
    const members = incidents.filter((i) => i.siteIncidentId === id);
    const start = Math.min(...members.map((m) => Date.parse(m.startedAt)));
    const end = Math.max(...members.map((m) => Date.parse(m.endedAt)));
    return {
      id,
      siteId: members[0]!.siteId,
      siteName: members[0]!.siteName,
      cause: "power_or_network",
      startedAt: new Date(start).toISOString(),
      endedAt: new Date(end).toISOString(),
      durationSeconds: seconds(end - start),
      hostIds: members.map((m) => m.hostId),
    };
  });

  const unknownPerHost = (options.unknownSecondsPerHost ?? 0) * 1000;
  const byHost: ReportHost[] = hosts.map((h) => {
    const own = incidents.filter((i) => i.hostId === h.hostId);
    const down = own.filter((i) => !i.excluded).reduce((s, i) => s + overlap({ start: Date.parse(i.startedAt), end: Date.parse(i.endedAt) }, schedule), 0);
    const excluded = own.filter((i) => i.excluded).reduce((s, i) => s + overlap({ start: Date.parse(i.startedAt), end: Date.parse(i.endedAt) }, schedule), 0);
    const monitored = scheduledPerHost - excluded - unknownPerHost;
    return {
      hostId: h.hostId,
      hostname: h.hostname,
      siteId: h.siteId,
      siteName: h.siteName,
      availabilityPct: monitored > 0 ? (1 - down / monitored) * 100 : null,
      downSeconds: seconds(down),
      unknownSeconds: seconds(unknownPerHost),
      unmonitoredSeconds: 0,
      incidentCount: own.filter((i) => !i.excluded && overlap({ start: Date.parse(i.startedAt), end: Date.parse(i.endedAt) }, schedule) > 0).length,
      cost: cost.byHost.find((c) => c.hostId === h.hostId)?.cost ?? 0,
    };
  });

  const scheduled = scheduledPerHost * hosts.length;
  const excluded = incidents.filter((i) => i.excluded).reduce((s, i) => s + overlap({ start: Date.parse(i.startedAt), end: Date.parse(i.endedAt) }, schedule), 0);
  const unknown = unknownPerHost * hosts.length;
  const monitored = scheduled - excluded - unknown;
  const down = byHost.reduce((s, h) => s + h.downSeconds * 1000, 0);
  // Counted incidents touch scheduled time; a site incident counts once.
  const counted = new Map<string, number>();
  for (const i of incidents) {
    if (i.excluded) continue;
    const inSchedule = overlap({ start: Date.parse(i.startedAt), end: Date.parse(i.endedAt) }, schedule);
    if (inSchedule > 0) counted.set(i.siteIncidentId ?? i.id, Math.max(counted.get(i.siteIncidentId ?? i.id) ?? 0, i.durationSeconds));
  }
  const budget = Math.round(((100 - sloPct) / 100) * monitored);
  const availabilityPct = monitored > 0 ? (1 - down / monitored) * 100 : null;
  const figures: Omit<SlaSummary, "period" | "costTotal"> = {
    sloPct,
    availabilityPct,
    met: availabilityPct === null ? null : availabilityPct >= sloPct,
    scheduledSeconds: seconds(scheduled),
    excludedSeconds: seconds(excluded),
    unmonitoredSeconds: 0,
    unknownSeconds: seconds(unknown),
    downSeconds: seconds(down),
    degradedSeconds: 1_800,
    monitoredSeconds: seconds(monitored),
    coveragePct: scheduled - excluded > 0 ? (monitored / (scheduled - excluded)) * 100 : null,
    coverageLow: scheduled - excluded > 0 && monitored / (scheduled - excluded) < 0.95,
    errorBudgetSeconds: seconds(budget),
    errorBudgetBurnPct: budget > 0 ? (down / budget) * 100 : null,
    incidentCount: counted.size,
    mttrSeconds: counted.size ? Math.round([...counted.values()].reduce((a, b) => a + b, 0) / counted.size) : null,
    mtbfSeconds: counted.size ? seconds((monitored - down) / counted.size) : null,
    mttaSeconds: counted.size ? 420 : null,
  };

  const base: Omit<SlaReport, "summary"> = {
    kind: "sla",
    generatedAt: "2026-06-01T07:00:00.000Z",
    scope: { level: "client", clientId: "c-acme", clientName: options.clientName ?? "Acme Dental GmbH", siteId: null, siteName: null, hostId: null, hostname: null },
    hours,
    calendar: hours === "business" ? "Mon–Fri 08:00–18:00 (Europe/Berlin)" : "24x7",
    ...figures,
    period: PERIOD,
    costTotal: cost.total,
    defaults: [...cost.inputs.defaults.filter((d) => d !== "currency").map((d) => `costModel.${d}`)],
    incidents,
    siteIncidents,
    cost: {
      currency: cost.currency,
      total: cost.total,
      revenue: cost.revenue,
      productivity: cost.productivity,
      recovery: cost.recovery,
      penalty: cost.penalty,
      intangible: cost.intangible,
      formula: cost.formula,
      inputs: {
        model: { ...cost.inputs.model },
        defaults: cost.inputs.defaults.filter((d) => d !== "currency"),
        costPerHour: cost.inputs.costPerHour,
        chargedHours: cost.inputs.chargedHours,
        recoveryIncidents: cost.inputs.recoveryIncidents,
      },
    },
    byHost,
    previousPeriod:
      options.previous === false
        ? null
        : {
            ...figures,
            period: PREVIOUS,
            availabilityPct: 99.71,
            met: sloPct <= 99.71,
            downSeconds: 13_200,
            incidentCount: 5,
            costTotal: 6_120.4,
          },
  };
  return { ...base, summary: executiveSummary(base) };
}

/** `n` crashes spread over the month's business days, on hosts with long, numbered names. */
export function manyIncidents(n: number): { hosts: FixtureHost[]; incidents: FixtureIncident[] } {
  const hosts: FixtureHost[] = Array.from({ length: 40 }, (_, k) => ({
    hostId: `h-${k}`,
    hostname: `workstation-${String(k).padStart(3, "0")}.reception.acme-dental.internal`,
    ...(k % 2 ? MAIN : BRANCH),
    share: 0.05,
  }));
  const days = businessHours();
  const incidents: FixtureIncident[] = Array.from({ length: n }, (_, k) => {
    const day = days[k % days.length]!;
    const start = day.start + ((k * 7) % 9) * H + (k % 5) * 60_000;
    return { hostId: `h-${k % hosts.length}`, cause: (["crash", "reboot", "agent_silent", "check_failed"] as const)[k % 4]!, start: new Date(start).toISOString(), end: new Date(start + 600_000 + (k % 7) * 60_000).toISOString() };
  });
  return { hosts, incidents };
}
