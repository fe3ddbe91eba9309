import { z } from "@hono/zod-openapi";
import { Timestamp } from "../schema.js";

export const LifecycleQuery = z.object({
  clientId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "clientId", in: "query" }, description: "The client the report is for" }),
  format: z
    .enum(["json", "csv"])
    .default("json")
    .openapi({ param: { name: "format", in: "query" }, description: "json (default) or csv (one row per risk, for a spreadsheet)" }),
});

export const LifecycleRiskSchema = z
  .object({
    hostId: z.string(),
    hostname: z.string(),
    siteId: z.string(),
    category: z.enum(["os_eol", "os_unknown", "hardware_age", "disk_smart", "disk_full", "no_inventory"]),
    severity: z.enum(["critical", "warning", "info"]),
    title: z.string().openapi({ example: "Windows 10 Home/Pro 22H2 is past its end of support (2025-10-14)" }),
    detail: z.string(),
    recommendation: z.string().openapi({ example: "Upgrade to a supported release or replace the machine; until then limit its exposure." }),
    dueDate: z.string().nullable().openapi({ description: "End-of-support date or forecast full date (YYYY-MM-DD)", example: "2025-10-14" }),
    source: z.string().nullable().openapi({ description: "The vendor lifecycle page the date comes from" }),
  })
  .openapi("LifecycleRisk");

export const LifecycleReportSchema = z
  .object({
    clientId: z.string(),
    clientName: z.string(),
    generatedAt: Timestamp,
    eolTableCheckedOn: z.string().openapi({ description: "When the end-of-life table was last reviewed against its sources", example: "2026-11-23" }),
    hosts: z.number().int(),
    summary: z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() }),
    risks: z.array(LifecycleRiskSchema),
  })
  .openapi("LifecycleReport");
