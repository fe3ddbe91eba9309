import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AlertState } from "../../alerts/state.js";
import { listAlerts } from "../../store/queries/alerts.js";
import { READ_ROLES, visibleClientId } from "../access.js";
import { requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { AlertListQuery, AlertListSchema, alertView } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["alerts"],
  summary: "List alerts, newest first",
  description: "Filter by client, site, host, state (`open` = firing and acknowledged), severity, rule kind and when they fired. A viewer sees only its own client's; `clientId` of another client answers 404.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: AlertListQuery },
  responses: { 200: jsonResponse("The alerts", AlertListSchema), ...errorResponses(400, 401, 403, 503) },
});

export function registerListAlerts(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const clientId = visibleClientId(c, q.clientId);
    const states = q.state ? [...new Set(q.state.split(",").flatMap((s) => (s === "open" ? ["firing", "acknowledged"] : [s])))] : undefined;
    const alerts = await listAlerts(c.var.deps.store, {
      clientId,
      siteId: q.siteId,
      hostId: q.hostId,
      states: states as AlertState[] | undefined,
      severity: q.severity as never,
      ruleKind: q.rule,
      since: q.from ? Date.parse(q.from) : undefined,
      until: q.to ? Date.parse(q.to) : undefined,
      limit: q.limit,
    });
    return c.json({ items: alerts.map(alertView) }, 200);
  });
}
