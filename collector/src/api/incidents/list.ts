import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { listIncidents } from "../../reports/incidents.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { reportContext } from "../reports/context.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { IncidentListQuery, IncidentListSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["incidents"],
  summary: "Incidents of a client, site or host overlapping a period",
  description: "Maximal DOWN intervals per host with their cause, as the evidence shows them now, with what people recorded; a site incident groups hosts that went out together.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: IncidentListQuery },
  responses: { 200: jsonResponse("Incidents, oldest first", IncidentListSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

export function registerListIncidents(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const q = c.req.valid("query");
    assertClientVisible(c, q.clientId, "client");
    const result = await listIncidents(reportContext(c), {
      clientId: q.clientId,
      from: Date.parse(q.from),
      to: Date.parse(q.to),
      ...(q.siteId ? { siteId: q.siteId } : {}),
      ...(q.hostId ? { hostId: q.hostId } : {}),
    });
    return c.json(result, 200);
  });
}
