import { z } from "@hono/zod-openapi";
import { ALERT_SEVERITIES } from "../../alerts/channels/index.js";
import type { AlertRoute } from "../../store/queries/alert-config.js";
import { iso, Timestamp } from "../schema.js";

const Severity = z.enum(ALERT_SEVERITIES as [string, ...string[]]);
const ChannelIds = z.array(z.string().min(1).max(64)).min(1, "needs at least one channel").max(20);

const Step = z
  .object({
    afterMinutes: z.number().int().min(1).max(10_080).openapi({ description: "Minutes after the alert fired" }),
    channelIds: ChannelIds,
  })
  .strict();

const fields = {
  clientId: z.string().min(1).max(64).nullable().openapi({ description: "The client whose alerts it routes; null = every client" }),
  name: z.string().trim().min(1).max(200),
  severities: z.array(Severity).max(3).openapi({ description: "Severities it routes; empty = all" }),
  channelIds: ChannelIds.openapi({ description: "Notified as soon as the alert fires" }),
  escalation: z.array(Step).max(10).openapi({ description: "Further channels notified while nobody has acknowledged; an acknowledgement stops them" }),
  enabled: z.boolean(),
};

/** Body of POST /alert-routes. */
export const CreateRouteSchema = z
  .object({ ...fields, clientId: fields.clientId.default(null), severities: fields.severities.default([]), escalation: fields.escalation.default([]), enabled: fields.enabled.default(true) })
  .strict()
  .openapi("CreateAlertRoute");

/** Body of PATCH /alert-routes/{id}: the fields given replace the old ones (the client stays). */
export const PatchRouteSchema = z
  .object({ name: fields.name.optional(), severities: fields.severities.optional(), channelIds: fields.channelIds.optional(), escalation: fields.escalation.optional(), enabled: fields.enabled.optional() })
  .strict()
  .openapi("PatchAlertRoute");

export const RouteSchema = z
  .object({
    id: z.string(),
    clientId: z.string().nullable(),
    name: z.string(),
    severities: z.array(Severity),
    channelIds: z.array(z.string()),
    escalation: z.array(z.object({ afterMinutes: z.number().int(), channelIds: z.array(z.string()) })),
    enabled: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("AlertRoute");

export const RouteListSchema = z.object({ items: z.array(RouteSchema) }).openapi("AlertRouteList");

export const RouteListQuery = z
  .object({ clientId: z.string().min(1).max(64).optional().openapi({ param: { name: "clientId", in: "query" }, description: "That client's routes and those for every client" }) })
  .strict();

/** The API's view of a route. */
export function routeView(r: AlertRoute): z.infer<typeof RouteSchema> {
  return {
    id: r.id,
    clientId: r.clientId || null,
    name: r.name,
    severities: r.severities,
    channelIds: r.channelIds,
    escalation: r.escalation,
    enabled: r.enabled,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}
