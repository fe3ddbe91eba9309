import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { newId } from "../../auth/secrets.js";
import { saveSilence, type AlertSilence } from "../../store/queries/alert-config.js";
import { findAlert } from "../../store/queries/alerts.js";
import { assertClientVisible, OPERATE_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonBody, jsonResponse } from "../schema.js";
import { SilenceSchema, silenceView } from "../silences/schema.js";
import { SilenceAlertSchema } from "./schema.js";

const route = createRoute({
  method: "post",
  path: "/{id}/silence",
  tags: ["alerts"],
  summary: "Silence an alert's rule on its subject for a while",
  description:
    "Creates a silence matching the alert's rule kind and subject (host, site or check) from now: no repeats or escalation for this alert, and no new alert for the same condition, until it ends.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, body: jsonBody(SilenceAlertSchema) },
  responses: { 201: jsonResponse("The silence", SilenceSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

export function registerSilenceAlert(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store, logger } = c.var.deps;
    const alert = await findAlert(store, c.req.valid("param").id);
    if (!alert) throw ApiError.notFound("alert");
    assertClientVisible(c, alert.clientId, "alert");
    const body = c.req.valid("json");
    const now = Date.now();
    const silence: AlertSilence = {
      id: newId(),
      clientId: alert.clientId,
      scope: alert.hostId ? { level: "host", id: alert.hostId } : { level: "site", id: alert.siteId },
      matcher: { ruleKind: alert.ruleKind, subjectKey: alert.subjectKey },
      startsAt: now,
      endsAt: now + body.minutes * 60_000,
      reason: body.reason,
      createdAt: now,
      createdBy: principalOf(c).subject,
    };
    await saveSilence(store, silence);
    logger.info({ silenceId: silence.id, alertId: alert.id, minutes: body.minutes }, "alert silenced");
    return c.json(silenceView(silence), 201);
  });
}
