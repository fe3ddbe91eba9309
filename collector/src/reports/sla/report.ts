/**
 * The SLA and downtime-cost report as the API returns it (JSON) and the CSV and PDF renderers read it.
 * Times are ISO 8601 strings in UTC; durations are whole seconds; money is in `cost.currency`, rounded
 * to its minor unit. Ratios whose denominator is zero are null.
 */

import type { DownCause } from "../../availability/index.js";

/** Which hours the SLA counts: the client's business calendar, or all hours of the period. */
export type ReportHours = "business" | "all";

/** The figures of one scope and period, also used for the previous period. */
export interface SlaSummary {
  period: { from: string; to: string; timezone: string };
  sloPct: number;
  availabilityPct: number | null;
  met: boolean | null;
  scheduledSeconds: number;
  excludedSeconds: number;
  unmonitoredSeconds: number;
  unknownSeconds: number;
  downSeconds: number;
  degradedSeconds: number;
  /** T = S − E − U: the time there is evidence for. */
  monitoredSeconds: number;
  coveragePct: number | null;
  /** Coverage under 95%: the availability rests on too little evidence. */
  coverageLow: boolean;
  errorBudgetSeconds: number;
  errorBudgetBurnPct: number | null;
  incidentCount: number;
  mttrSeconds: number | null;
  mtbfSeconds: number | null;
  mttaSeconds: number | null;
  costTotal: number;
}

/** One host's maximal DOWN interval, as the report shows it. */
export interface ReportIncident {
  id: string;
  hostId: string;
  hostname: string;
  siteId: string;
  siteName: string;
  cause: DownCause;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  /** The part inside business hours. */
  businessSeconds: number;
  cost: number;
  /** Left out of the SLA, with the reason people gave. */
  excluded: boolean;
  exclusionReason: string | null;
  note: string | null;
  /** The site incident it belongs to, when its whole site went out with it. */
  siteIncidentId: string | null;
  /** Started before, or runs past, the report's period. */
  clipped: boolean;
}

/** A whole site out at once: its hosts' incidents grouped. */
export interface ReportSiteIncident {
  id: string;
  siteId: string;
  siteName: string;
  cause: string;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  hostIds: string[];
}

/** The cost of downtime and how it was computed. */
export interface ReportCost {
  currency: string;
  total: number;
  revenue: number;
  productivity: number;
  recovery: number;
  penalty: number;
  intangible: number;
  /** One step per line, with the numbers in it. */
  formula: string;
  inputs: {
    model: Record<string, number | string>;
    /** Cost-model fields that took a default. */
    defaults: string[];
    costPerHour: number;
    chargedHours: number;
    recoveryIncidents: number;
  };
}

/** One host's line in the report. */
export interface ReportHost {
  hostId: string;
  hostname: string;
  siteId: string;
  siteName: string;
  availabilityPct: number | null;
  downSeconds: number;
  unknownSeconds: number;
  unmonitoredSeconds: number;
  incidentCount: number;
  cost: number;
}

/** What the report is about. */
export interface ReportScope {
  level: "client" | "site" | "host";
  clientId: string;
  clientName: string;
  siteId: string | null;
  siteName: string | null;
  hostId: string | null;
  hostname: string | null;
}

/** The full SLA and downtime-cost report of one scope and period. */
export interface SlaReport extends SlaSummary {
  kind: "sla";
  generatedAt: string;
  scope: ReportScope;
  hours: ReportHours;
  /** How business hours were defined: the calendar's weekly windows in words, or "24x7". */
  calendar: string;
  /** Settings that were not configured and took a default (sloPct, businessCalendar, costModel.<field>). */
  defaults: string[];
  /** The executive summary in plain words. */
  summary: string;
  incidents: ReportIncident[];
  siteIncidents: ReportSiteIncident[];
  cost: ReportCost;
  byHost: ReportHost[];
  previousPeriod: SlaSummary | null;
}

/** One client's line in the MSP's fleet report. */
export interface FleetReportClient extends SlaSummary {
  clientId: string;
  clientName: string;
  currency: string;
  hostCount: number;
}

/** The MSP's own view across every client, for one period. */
export interface FleetReport {
  kind: "fleet";
  generatedAt: string;
  period: { from: string; to: string };
  hours: ReportHours;
  clients: FleetReportClient[];
  /** Clients below their SLO. */
  breaches: number;
  hostCount: number;
  incidentCount: number;
}
