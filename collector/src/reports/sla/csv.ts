/**
 * The SLA report and the fleet report as CSV for a spreadsheet. Figures are written exactly as the
 * report holds them (seconds, percentages, money in minor-unit precision), so a CFO's own sums match;
 * local times are added beside the UTC ones because that is what people filter on.
 */
import { toCsv, type CsvCell } from "../csv.js";
import { displayZone, formatSortableDateTime } from "./format.js";
import type { FleetReport, SlaReport, SlaSummary } from "./report.js";

const INCIDENT_HEADER = [
  "incidentId",
  "hostId",
  "hostname",
  "siteId",
  "siteName",
  "cause",
  "startedAt",
  "endedAt",
  "startedLocal",
  "endedLocal",
  "durationSeconds",
  "businessSeconds",
  "cost",
  "excluded",
  "exclusionReason",
  "note",
  "siteIncidentId",
  "clipped",
];

const HOST_HEADER = ["hostId", "hostname", "siteId", "siteName", "availabilityPct", "downSeconds", "unknownSeconds", "unmonitoredSeconds", "incidentCount", "cost"];

const SITE_INCIDENT_HEADER = ["siteIncidentId", "siteId", "siteName", "cause", "startedAt", "endedAt", "startedLocal", "endedLocal", "durationSeconds", "hostCount", "hostIds"];

/**
 * One CSV with sections separated by a blank line: key,value summary rows, then the incidents, the
 * hosts and the site incidents, each with its own header row.
 */
export function slaReportCsv(report: SlaReport): string {
  const zone = displayZone(report.period.timezone);
  const local = (iso: string) => formatSortableDateTime(iso, zone);
  const c = report.cost;
  const s = report.scope;
  const prev = report.previousPeriod;
  const summary: [string, CsvCell][] = [
    ["report", "SLA and downtime cost"],
    ["generatedAt", report.generatedAt],
    ["clientId", s.clientId],
    ["clientName", s.clientName],
    ["scope", s.level],
    ["siteId", s.siteId],
    ["siteName", s.siteName],
    ["hostId", s.hostId],
    ["hostname", s.hostname],
    ["periodFrom", report.period.from],
    ["periodTo", report.period.to],
    ["timezone", report.period.timezone],
    ["hours", report.hours],
    ["calendar", report.calendar],
    ...figures(report),
    ["currency", c.currency],
    ["costTotal", c.total],
    ["costRevenue", c.revenue],
    ["costProductivity", c.productivity],
    ["costRecovery", c.recovery],
    ["costPenalty", c.penalty],
    ["costIntangible", c.intangible],
    ["costPerHour", c.inputs.costPerHour],
    ["chargedHours", c.inputs.chargedHours],
    ["recoveryIncidents", c.inputs.recoveryIncidents],
    ...Object.keys(c.inputs.model)
      .sort()
      .map((k): [string, CsvCell] => [`costModel.${k}`, c.inputs.model[k] ?? null]),
    ["defaults", report.defaults.join("; ")],
    ["previousPeriodFrom", prev?.period.from ?? null],
    ["previousPeriodTo", prev?.period.to ?? null],
    ["previousAvailabilityPct", prev?.availabilityPct ?? null],
    ["previousMet", prev?.met ?? null],
    ["previousDownSeconds", prev?.downSeconds ?? null],
    ["previousIncidentCount", prev?.incidentCount ?? null],
    ["previousCostTotal", prev?.costTotal ?? null],
    ["summary", report.summary],
  ];
  const incidents = report.incidents.map((i) => [
    i.id,
    i.hostId,
    i.hostname,
    i.siteId,
    i.siteName,
    i.cause,
    i.startedAt,
    i.endedAt,
    local(i.startedAt),
    local(i.endedAt),
    i.durationSeconds,
    i.businessSeconds,
    i.cost,
    i.excluded,
    i.exclusionReason,
    i.note,
    i.siteIncidentId,
    i.clipped,
  ]);
  const hosts = report.byHost.map((h) => [h.hostId, h.hostname, h.siteId, h.siteName, h.availabilityPct, h.downSeconds, h.unknownSeconds, h.unmonitoredSeconds, h.incidentCount, h.cost]);
  const siteIncidents = report.siteIncidents.map((si) => [
    si.id,
    si.siteId,
    si.siteName,
    si.cause,
    si.startedAt,
    si.endedAt,
    local(si.startedAt),
    local(si.endedAt),
    si.durationSeconds,
    si.hostIds.length,
    si.hostIds.join(" "),
  ]);
  // A blank line between sections: a spreadsheet shows them as separate blocks, each with its header.
  return [toCsv(["key", "value"], summary), toCsv(INCIDENT_HEADER, incidents), toCsv(HOST_HEADER, hosts), toCsv(SITE_INCIDENT_HEADER, siteIncidents)].join("\r\n");
}

/** The SLA figures every summary has, as key,value rows (the previous period's come from the same keys). */
function figures(f: SlaSummary): [string, CsvCell][] {
  return [
    ["sloPct", f.sloPct],
    ["availabilityPct", f.availabilityPct],
    ["met", f.met],
    ["scheduledSeconds", f.scheduledSeconds],
    ["excludedSeconds", f.excludedSeconds],
    ["unmonitoredSeconds", f.unmonitoredSeconds],
    ["unknownSeconds", f.unknownSeconds],
    ["downSeconds", f.downSeconds],
    ["degradedSeconds", f.degradedSeconds],
    ["monitoredSeconds", f.monitoredSeconds],
    ["coveragePct", f.coveragePct],
    ["coverageLow", f.coverageLow],
    ["errorBudgetSeconds", f.errorBudgetSeconds],
    ["errorBudgetBurnPct", f.errorBudgetBurnPct],
    ["incidentCount", f.incidentCount],
    ["mttrSeconds", f.mttrSeconds],
    ["mtbfSeconds", f.mtbfSeconds],
    ["mttaSeconds", f.mttaSeconds],
  ];
}

const FLEET_HEADER = [
  "clientId",
  "clientName",
  "periodFrom",
  "periodTo",
  "timezone",
  "hours",
  "hostCount",
  "sloPct",
  "availabilityPct",
  "met",
  "scheduledSeconds",
  "excludedSeconds",
  "unmonitoredSeconds",
  "unknownSeconds",
  "downSeconds",
  "degradedSeconds",
  "monitoredSeconds",
  "coveragePct",
  "coverageLow",
  "errorBudgetSeconds",
  "errorBudgetBurnPct",
  "incidentCount",
  "mttrSeconds",
  "mtbfSeconds",
  "mttaSeconds",
  "currency",
  "costTotal",
];

/** The fleet report as one table, a row per client (costs stay in each client's own currency). */
export function fleetReportCsv(report: FleetReport): string {
  return toCsv(
    FLEET_HEADER,
    report.clients.map((c) => [c.clientId, c.clientName, c.period.from, c.period.to, c.period.timezone, report.hours, c.hostCount, ...figures(c).map(([, v]) => v), c.currency, c.costTotal]),
  );
}
