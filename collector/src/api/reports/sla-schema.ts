import { z } from "@hono/zod-openapi";
import { Timestamp } from "../schema.js";

// OpenAPI schemas of the SLA and fleet reports; the TypeScript shapes are in reports/sla/report.ts.

const Pct = z.number().nullable();
const Seconds = z.number().int();

const Period = z.object({ from: Timestamp, to: Timestamp, timezone: z.string().openapi({ example: "Europe/Berlin" }) });

const summaryShape = {
  period: Period,
  sloPct: z.number().openapi({ example: 99.9 }),
  availabilityPct: Pct.openapi({ description: "1 − down / monitored time; null without evidence", example: 99.95 }),
  met: z.boolean().nullable(),
  scheduledSeconds: Seconds.openapi({ description: "S: scheduled host-seconds (business hours or all)" }),
  excludedSeconds: Seconds.openapi({ description: "E: maintenance and incidents excluded with a reason" }),
  unmonitoredSeconds: Seconds.openapi({ description: "Part of U: collector down, not enrolled, uninstalled" }),
  unknownSeconds: Seconds.openapi({ description: "Part of U: agent stopped, spool loss, no samples" }),
  downSeconds: Seconds.openapi({ description: "D: down host-seconds counted against the SLA" }),
  degradedSeconds: Seconds,
  monitoredSeconds: Seconds.openapi({ description: "T = S − E − U" }),
  coveragePct: Pct,
  coverageLow: z.boolean().openapi({ description: "Coverage under 95%: the figure rests on too little evidence" }),
  errorBudgetSeconds: Seconds,
  errorBudgetBurnPct: Pct,
  incidentCount: z.number().int(),
  mttrSeconds: z.number().nullable(),
  mtbfSeconds: z.number().nullable(),
  mttaSeconds: z.number().nullable(),
  costTotal: z.number(),
};

export const SlaSummarySchema = z.object(summaryShape).openapi("SlaSummary");

/** An incident as reports list it. */
export const ReportIncidentSchema = z.object({
  id: z.string().openapi({ example: "k3JxA9bq2xPwLm0T@1780390800000" }),
  hostId: z.string(),
  hostname: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  cause: z.enum(["reboot", "crash", "power_or_network", "site_network", "check_failed", "agent_silent"]),
  startedAt: Timestamp,
  endedAt: Timestamp,
  durationSeconds: Seconds,
  businessSeconds: Seconds,
  cost: z.number(),
  excluded: z.boolean(),
  exclusionReason: z.string().nullable(),
  note: z.string().nullable(),
  siteIncidentId: z.string().nullable(),
  clipped: z.boolean(),
});

/** A whole site out at once: its hosts' incidents grouped. */
export const SiteIncidentSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    siteName: z.string(),
    cause: z.string(),
    startedAt: Timestamp,
    endedAt: Timestamp,
    durationSeconds: Seconds,
    hostIds: z.array(z.string()),
  })
  .openapi("SiteIncident");

export const SlaReportSchema = z
  .object({
    kind: z.literal("sla"),
    generatedAt: Timestamp,
    scope: z.object({
      level: z.enum(["client", "site", "host"]),
      clientId: z.string(),
      clientName: z.string(),
      siteId: z.string().nullable(),
      siteName: z.string().nullable(),
      hostId: z.string().nullable(),
      hostname: z.string().nullable(),
    }),
    hours: z.enum(["business", "all"]),
    calendar: z.string().openapi({ example: "Mon–Fri 08:00–18:00 (Europe/Berlin)" }),
    defaults: z.array(z.string()).openapi({ description: "Settings not configured that took a default" }),
    summary: z.string().openapi({ description: "Executive summary in plain words" }),
    ...summaryShape,
    incidents: z.array(ReportIncidentSchema),
    siteIncidents: z.array(SiteIncidentSchema),
    cost: z.object({
      currency: z.string(),
      total: z.number(),
      revenue: z.number(),
      productivity: z.number(),
      recovery: z.number(),
      penalty: z.number(),
      intangible: z.number(),
      formula: z.string(),
      inputs: z.object({
        model: z.record(z.string(), z.union([z.number(), z.string()])),
        defaults: z.array(z.string()),
        costPerHour: z.number(),
        chargedHours: z.number(),
        recoveryIncidents: z.number().int(),
      }),
    }),
    byHost: z.array(
      z.object({
        hostId: z.string(),
        hostname: z.string(),
        siteId: z.string(),
        siteName: z.string(),
        availabilityPct: Pct,
        downSeconds: Seconds,
        unknownSeconds: Seconds,
        unmonitoredSeconds: Seconds,
        incidentCount: z.number().int(),
        cost: z.number(),
      }),
    ),
    previousPeriod: SlaSummarySchema.nullable(),
  })
  .openapi("SlaReport");

export const FleetReportSchema = z
  .object({
    kind: z.literal("fleet"),
    generatedAt: Timestamp,
    period: z.object({ from: Timestamp, to: Timestamp }),
    hours: z.enum(["business", "all"]),
    clients: z.array(z.object({ ...summaryShape, clientId: z.string(), clientName: z.string(), currency: z.string(), hostCount: z.number().int() })),
    breaches: z.number().int(),
    hostCount: z.number().int(),
    incidentCount: z.number().int(),
  })
  .openapi("FleetReport");

const instant = (name: string, description: string) =>
  z
    .string()
    .datetime({ offset: true })
    .openapi({ param: { name, in: "query" }, description, example: name === "from" ? "2026-05-01T00:00:00+02:00" : "2026-06-01T00:00:00+02:00" });

const hours = z.enum(["business", "all"]).default("all").openapi({ param: { name: "hours", in: "query" }, description: "Count business hours only, or all hours (default)" });

/** Query of GET /reports/sla. */
export const SlaReportQuery = z.object({
  clientId: z.string().min(1).max(64).openapi({ param: { name: "clientId", in: "query" } }),
  from: instant("from", "Start of the period (ISO 8601)"),
  to: instant("to", "End of the period, exclusive (ISO 8601)"),
  siteId: z.string().min(1).max(64).optional().openapi({ param: { name: "siteId", in: "query" } }),
  hostId: z.string().min(1).max(64).optional().openapi({ param: { name: "hostId", in: "query" } }),
  hours,
  format: z.enum(["json", "csv", "pdf"]).default("json").openapi({ param: { name: "format", in: "query" } }),
});

/** Query of GET /reports/fleet. */
export const FleetReportQuery = z.object({
  from: instant("from", "Start of the period (ISO 8601)"),
  to: instant("to", "End of the period, exclusive (ISO 8601)"),
  hours,
  format: z.enum(["json", "csv"]).default("json").openapi({ param: { name: "format", in: "query" } }),
});
