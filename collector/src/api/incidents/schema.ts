import { z } from "@hono/zod-openapi";
import { ReportIncidentSchema, SiteIncidentSchema } from "../reports/sla-schema.js";
import { Timestamp } from "../schema.js";

const instant = (name: string) => z.string().datetime({ offset: true }).openapi({ param: { name, in: "query" }, example: "2026-05-01T00:00:00Z" });

/** Query of GET /incidents. */
export const IncidentListQuery = z.object({
  clientId: z.string().min(1).max(64).openapi({ param: { name: "clientId", in: "query" } }),
  from: instant("from"),
  to: instant("to"),
  siteId: z.string().min(1).max(64).optional().openapi({ param: { name: "siteId", in: "query" } }),
  hostId: z.string().min(1).max(64).optional().openapi({ param: { name: "hostId", in: "query" } }),
});

export const IncidentSchema = ReportIncidentSchema.extend({
  clientId: z.string(),
  detectedAt: Timestamp,
  acknowledgedAt: Timestamp.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: Timestamp.nullable().openapi({ description: "null while the host is still down" }),
  annotatedBy: z.string().nullable(),
  annotatedAt: Timestamp.nullable(),
}).openapi("Incident");

export const IncidentListSchema = z.object({ items: z.array(IncidentSchema), siteIncidents: z.array(SiteIncidentSchema) }).openapi("IncidentList");

export const IncidentIdParams = z.object({
  id: z
    .string()
    .min(3)
    .max(90)
    .openapi({ param: { name: "id", in: "path" }, example: "k3JxA9bq2xPwLm0T@1780390800000" }),
});

export const AnnotateIncidentSchema = z
  .object({
    note: z.string().trim().max(2000).nullable().optional().openapi({ description: "Root-cause note; null removes it" }),
    excluded: z.boolean().optional().openapi({ description: "Leave the incident out of the SLA (needs exclusionReason)" }),
    exclusionReason: z.string().trim().min(1).max(500).optional(),
    acknowledged: z.literal(true).optional().openapi({ description: "Acknowledge it now, as the caller" }),
  })
  .strict()
  .openapi("AnnotateIncident");
