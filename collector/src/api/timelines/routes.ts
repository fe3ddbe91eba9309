import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { hostTimelineView, siteTimelineView } from "../../reports/timelines.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";
import { reportContext } from "../reports/context.js";
import { HostTimelineSchema, SiteTimelineSchema, TimelineQuery } from "./schema.js";

const host = createRoute({
  method: "get",
  path: "/hosts/{id}/timeline",
  tags: ["hosts"],
  summary: "A host's state over a period (UP, DOWN with its cause, DEGRADED, UNKNOWN, UNMONITORED, MAINTENANCE), and each check's",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, query: TimelineQuery },
  responses: { 200: jsonResponse("Ordered, contiguous segments covering the period", HostTimelineSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

const site = createRoute({
  method: "get",
  path: "/sites/{id}/timeline",
  tags: ["sites"],
  summary: "A site's state over a period: DOWN while the whole site was out, DEGRADED while some of its hosts were",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, query: TimelineQuery },
  responses: { 200: jsonResponse("Ordered, contiguous segments covering the period", SiteTimelineSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

/** `GET /hosts/{id}/timeline` and `GET /sites/{id}/timeline`: the state timelines reports are computed from. */
export function registerTimelines(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(host, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const view = await hostTimelineView(reportContext(c), id, Date.parse(q.from), Date.parse(q.to));
    assertClientVisible(c, view.clientId, "host");
    return c.json(view, 200);
  });
  api.openapi(site, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const view = await siteTimelineView(reportContext(c), id, Date.parse(q.from), Date.parse(q.to));
    assertClientVisible(c, view.clientId, "site");
    return c.json(view, 200);
  });
}
