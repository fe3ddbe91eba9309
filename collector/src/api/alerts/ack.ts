import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { acknowledge, resolve } from "../../alerts/state.js";
import { findAlert, saveAlert } from "../../store/queries/alerts.js";
import { assertClientVisible, OPERATE_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";
import { AlertSchema, alertView } from "./schema.js";

// The engine picks these changes up from the store within seconds (on whichever collector runs it),
// stops escalating and repeating, and sends the acknowledge or resolve notices.

const ack = createRoute({
  method: "post",
  path: "/{id}/ack",
  tags: ["alerts"],
  summary: "Acknowledge an alert: escalation and repeats stop; the channels are told",
  description: "Acknowledging an acknowledged alert changes nothing; a resolved alert cannot be acknowledged (409).",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 200: jsonResponse("The alert as it now stands", AlertSchema), ...errorResponses(400, 401, 403, 404, 409, 503) },
});

const resolveRoute = createRoute({
  method: "post",
  path: "/{id}/resolve",
  tags: ["alerts"],
  summary: "Resolve an alert by hand; the channels are told",
  description: "If its condition still holds, the rule does not fire again until the condition has cleared. Resolving a resolved alert changes nothing.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 200: jsonResponse("The alert as it now stands", AlertSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

export function registerAlertActions(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(ack, async (c) => {
    const { store, logger } = c.var.deps;
    const alert = await findAlert(store, c.req.valid("param").id);
    if (!alert) throw ApiError.notFound("alert");
    assertClientVisible(c, alert.clientId, "alert");
    if (alert.state === "resolved") throw new ApiError(409, "conflict", "alert is already resolved");
    const done = acknowledge(alert, principalOf(c).subject, Date.now());
    if (done !== alert) {
      await saveAlert(store, done);
      logger.info({ alertId: alert.id, by: done.acknowledgedBy }, "alert acknowledged");
    }
    return c.json(alertView(done), 200);
  });

  api.openapi(resolveRoute, async (c) => {
    const { store, logger } = c.var.deps;
    const alert = await findAlert(store, c.req.valid("param").id);
    if (!alert) throw ApiError.notFound("alert");
    assertClientVisible(c, alert.clientId, "alert");
    const done = resolve(alert, principalOf(c).subject, Date.now());
    if (done !== alert) {
      await saveAlert(store, done);
      logger.info({ alertId: alert.id, by: done.resolvedBy }, "alert resolved by hand");
    }
    return c.json(alertView(done), 200);
  });
}
