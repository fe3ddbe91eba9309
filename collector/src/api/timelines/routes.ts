import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { throwIfInvalid } from "../../availability/index.js";
import { ScopeNotFoundError } from "../../reports/errors.js";
import { reportParamsProblems } from "../../reports/sla/build.js";
import { hostTimelineView, siteTimelineView } from "../../reports/timelines.js";
import { findAgent } from "../../store/queries/agents.js";
import { findSite } from "../../store/queries/sites.js";
import { canSeeClient, READ_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
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
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    // Another client's host answers exactly as an unknown one, before any of its evidence is read.
    throwIfInvalid(reportParamsProblems({ from, to }));
    const host = await findAgent(c.var.deps.store, id);
    if (host && !canSeeClient(principalOf(c), host.client_id)) throw new ScopeNotFoundError("id", "no such host");
    return c.json(await hostTimelineView(reportContext(c), id, from, to), 200);
  });
  api.openapi(site, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    throwIfInvalid(reportParamsProblems({ from, to }));
    const site = await findSite(c.var.deps.store, id);
    if (site && !canSeeClient(principalOf(c), site.client_id)) throw new ScopeNotFoundError("id", "no such site");
    return c.json(await siteTimelineView(reportContext(c), id, from, to), 200);
  });
}
