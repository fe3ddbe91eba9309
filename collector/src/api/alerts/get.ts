import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findAlert, listDeliveries } from "../../store/queries/alerts.js";
import { READ_ROLES, assertClientVisible } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";
import { AlertDetailSchema, alertView, deliveryView } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["alerts"],
  summary: "One alert with its delivery log",
  description: "The delivery log has one line per notification per channel, with every attempt (status, error, duration).",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 200: jsonResponse("The alert", AlertDetailSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

export function registerGetAlert(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const alert = await findAlert(store, c.req.valid("param").id);
    if (!alert) throw ApiError.notFound("alert");
    assertClientVisible(c, alert.clientId, "alert");
    const deliveries = await listDeliveries(store, [alert.id]);
    return c.json({ ...alertView(alert), deliveries: deliveries.map(deliveryView) }, 200);
  });
}
