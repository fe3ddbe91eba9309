import { z } from "@hono/zod-openapi";
import type { AuditEntry } from "../../store/queries/audit.js";
import { iso, Timestamp } from "../schema.js";

export const AuditQuery = z.object({
  clientId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "clientId", in: "query" }, description: "Only this client's changes (a viewer: always its own)" }),
  scope: z
    .enum(["global"])
    .optional()
    .openapi({ param: { name: "scope", in: "query" }, description: "`global`: only changes to settings that apply to every client (stored with clientId '')" }),
  entity: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "entity", in: "query" }, description: "Only this kind of entity", example: "maintenance_window" }),
  entityId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "entityId", in: "query" }, description: "Only this entity" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(500)
    .openapi({ param: { name: "limit", in: "query" }, description: "Most entries returned (default 500)" }),
});

export const AuditEntrySchema = z
  .object({
    at: Timestamp,
    actor: z.string().openapi({ description: "Who made the change (the principal's subject)", example: "admin-token" }),
    clientId: z.string().openapi({ description: "'' for settings that apply to every client" }),
    entity: z.string().openapi({ description: "client, site, host_profile, maintenance_window, incident, report_run, alert_rule, alert_channel, alert_route, silence", example: "client" }),
    entityId: z.string(),
    action: z.string().openapi({ example: "update", description: "create, update or delete" }),
    before: z.unknown().openapi({ description: "The entity before the change (null when created)" }),
    after: z.unknown().openapi({ description: "The entity after the change (null when deleted)" }),
  })
  .openapi("AuditEntry");

export const AuditListSchema = z.object({ items: z.array(AuditEntrySchema) }).openapi("AuditList");

/** The API view of an audit entry. */
export function auditView(e: AuditEntry): z.infer<typeof AuditEntrySchema> {
  return { at: iso(e.at), actor: e.actor, clientId: e.clientId, entity: e.entity, entityId: e.entityId, action: e.action, before: e.before, after: e.after };
}
