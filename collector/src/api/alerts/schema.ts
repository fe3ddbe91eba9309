import { z } from "@hono/zod-openapi";
import { ALERT_SEVERITIES } from "../../alerts/channels/index.js";
import { RULE_KINDS } from "../../alerts/rules.js";
import { ALERT_STATES, type Alert } from "../../alerts/state.js";
import type { DeliveryLogEntry } from "../../store/queries/alerts.js";
import { iso, Timestamp } from "../schema.js";

const query = (name: string) => ({ param: { name, in: "query" as const } });

/** Query of GET /alerts. */
export const AlertListQuery = z
  .object({
    clientId: z.string().min(1).max(64).optional().openapi(query("clientId")),
    siteId: z.string().min(1).max(64).optional().openapi(query("siteId")),
    hostId: z.string().min(1).max(64).optional().openapi(query("hostId")),
    state: z
      .string()
      .regex(/^(open|firing|acknowledged|resolved)(,(open|firing|acknowledged|resolved))*$/, "must be open, firing, acknowledged or resolved (comma-separated)")
      .optional()
      .openapi({ ...query("state"), description: "Comma-separated states; `open` = firing and acknowledged", example: "open" }),
    severity: z.enum(ALERT_SEVERITIES as [string, ...string[]]).optional().openapi(query("severity")),
    rule: z.enum(RULE_KINDS).optional().openapi({ ...query("rule"), description: "Rule kind" }),
    from: z.iso.datetime({ offset: true }).optional().openapi({ ...query("from"), description: "Alerts that fired at or after this instant" }),
    to: z.iso.datetime({ offset: true }).optional().openapi({ ...query("to"), description: "Alerts that fired before this instant" }),
    limit: z.coerce.number().int().min(1).max(1000).default(200).openapi(query("limit")),
  })
  .strict();

export const AlertSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    siteId: z.string(),
    hostId: z.string().nullable().openapi({ description: "null for a site alert" }),
    ruleId: z.string(),
    rule: z.enum(RULE_KINDS),
    subject: z.object({ kind: z.enum(["host", "site", "check"]), key: z.string(), name: z.string() }),
    severity: z.enum(ALERT_SEVERITIES as [string, ...string[]]),
    state: z.enum(ALERT_STATES as [string, ...string[]]),
    summary: z.string(),
    startedAt: Timestamp.openapi({ description: "When the condition began (the connection was lost)" }),
    firedAt: Timestamp.openapi({ description: "When the alert fired, after the confirmation window" }),
    acknowledgedAt: Timestamp.nullable(),
    acknowledgedBy: z.string().nullable(),
    resolvedAt: Timestamp.nullable(),
    resolvedBy: z.string().nullable().openapi({ description: "`vigil` when the condition cleared by itself" }),
    lastNotifiedAt: Timestamp.nullable(),
    escalationStep: z.number().int(),
    suppressedBy: z.string().nullable().openapi({ description: "The site alert that stands for this host alert" }),
  })
  .openapi("Alert");

export const AlertListSchema = z.object({ items: z.array(AlertSchema) }).openapi("AlertList");

export const DeliverySchema = z
  .object({
    at: Timestamp,
    channelId: z.string(),
    channelType: z.string(),
    event: z.string(),
    deliveryId: z.string(),
    ok: z.boolean(),
    attempts: z.array(
      z.object({ at: Timestamp, durationMs: z.number(), status: z.number().int().optional(), error: z.string().optional(), code: z.string().optional() }),
    ),
    error: z.string().nullable(),
  })
  .openapi("AlertDelivery");

export const AlertDetailSchema = AlertSchema.extend({ deliveries: z.array(DeliverySchema) }).openapi("AlertDetail");

/** Body of POST /alerts/{id}/silence. */
export const SilenceAlertSchema = z
  .object({
    minutes: z.number().int().min(1).max(90 * 1440).default(60).openapi({ description: "How long, from now (at most 90 days)" }),
    reason: z.string().trim().min(1, "required").max(500),
  })
  .strict()
  .openapi("SilenceAlert");

/** The API's view of an alert. */
export function alertView(a: Alert): z.infer<typeof AlertSchema> {
  return {
    id: a.id,
    clientId: a.clientId,
    siteId: a.siteId,
    hostId: a.hostId || null,
    ruleId: a.ruleId,
    rule: a.ruleKind,
    subject: { kind: a.subjectKind, key: a.subjectKey, name: a.subjectName },
    severity: a.severity,
    state: a.state,
    summary: a.summary,
    startedAt: iso(a.startedAt),
    firedAt: iso(a.createdAt),
    acknowledgedAt: a.acknowledgedAt === null ? null : iso(a.acknowledgedAt),
    acknowledgedBy: a.acknowledgedBy || null,
    resolvedAt: a.resolvedAt === null ? null : iso(a.resolvedAt),
    resolvedBy: a.resolvedBy || null,
    lastNotifiedAt: a.lastNotifiedAt === null ? null : iso(a.lastNotifiedAt),
    escalationStep: a.escalationStep,
    suppressedBy: a.suppressedBy || null,
  };
}

/** The API's view of a delivery log line. */
export function deliveryView(d: DeliveryLogEntry): z.infer<typeof DeliverySchema> {
  return {
    at: iso(d.at),
    channelId: d.channelId,
    channelType: d.channelType,
    event: d.event,
    deliveryId: d.deliveryId,
    ok: d.ok,
    attempts: d.attempts.map((x) => ({ ...x, at: iso(x.at) })),
    error: d.error || null,
  };
}
