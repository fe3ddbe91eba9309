import { z } from "@hono/zod-openapi";
import { SlaReportSchema } from "../reports/sla-schema.js";
import { Timestamp } from "../schema.js";

export const CreateReportRunSchema = z
  .object({
    clientId: z.string().min(1).max(64),
    from: z.string().datetime({ offset: true }).openapi({ example: "2026-04-01T00:00:00+02:00" }),
    to: z.string().datetime({ offset: true }).openapi({ example: "2026-07-01T00:00:00+02:00" }),
    siteId: z.string().min(1).max(64).optional(),
    hostId: z.string().min(1).max(64).optional(),
    hours: z.enum(["business", "all"]).default("all"),
    label: z.string().trim().max(200).default("").openapi({ example: "Q2 2026 QBR" }),
  })
  .strict()
  .openapi("CreateReportRun");

const Params = z.object({
  clientId: z.string(),
  from: Timestamp,
  to: Timestamp,
  siteId: z.string().optional(),
  hostId: z.string().optional(),
  hours: z.enum(["business", "all"]),
});

const runShape = {
  id: z.string(),
  clientId: z.string(),
  label: z.string(),
  params: Params,
  createdAt: Timestamp,
  createdBy: z.string(),
};

export const ReportRunSummarySchema = z
  .object({ ...runShape, availabilityPct: z.number().nullable(), costTotal: z.number(), currency: z.string() })
  .openapi("ReportRunSummary");

export const ReportRunSchema = z.object({ ...runShape, report: SlaReportSchema }).openapi("ReportRun");

export const ReportRunListQuery = z.object({ clientId: z.string().min(1).max(64).openapi({ param: { name: "clientId", in: "query" } }) });

export const ReportRunListSchema = z.object({ items: z.array(ReportRunSummarySchema) }).openapi("ReportRunList");

export const ReportRunGetQuery = z.object({
  format: z.enum(["json", "csv", "pdf"]).default("json").openapi({ param: { name: "format", in: "query" } }),
});
