import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { timeZoneProblems } from "../../availability/timezone.js";
import { saveSiteTimezone, siteTimezones } from "../../store/queries/policies.js";
import { findSite, saveSite } from "../../store/queries/sites.js";
import { auditChange, OPERATE_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { canonicalTimeZone } from "../clients/schema.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonBody, jsonResponse } from "../schema.js";
import { PatchSiteSchema, siteFromRow, SiteSchema } from "./schema.js";

const route = createRoute({
  method: "patch",
  path: "/{id}",
  tags: ["sites"],
  summary: "Rename a site or set its time zone",
  description:
    "`timezone` overrides the client's time zone for this site (an IANA name), or with null goes back to the " +
    "client's. Every change is audited.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, body: jsonBody(PatchSiteSchema) },
  responses: {
    200: jsonResponse("The site", SiteSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerPatchSite(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const body = c.req.valid("json");
    const site = await findSite(store, c.req.valid("param").id);
    if (!site) throw ApiError.notFound("site");
    if (typeof body.timezone === "string") {
      const problems = timeZoneProblems(body.timezone, "timezone");
      if (problems.length > 0) throw ApiError.problems(problems);
    }
    const zoneBefore = (await siteTimezones(store, { clientId: site.client_id })).get(site.id) ?? null;
    const zoneAfter = body.timezone === undefined ? zoneBefore : body.timezone === null ? null : canonicalTimeZone(body.timezone);
    const { updated_at: _updatedAt, ...row } = site;
    const after = { ...row, name: body.name ?? row.name };

    if (after.name !== row.name) await saveSite(store, after);
    if (zoneAfter !== zoneBefore) await saveSiteTimezone(store, { siteId: site.id, clientId: site.client_id, timezone: zoneAfter ?? "" }, principalOf(c).subject);
    if (after.name !== row.name || zoneAfter !== zoneBefore) {
      await auditChange(c, {
        clientId: site.client_id,
        entity: "site",
        entityId: site.id,
        action: "update",
        before: { name: row.name, timezone: zoneBefore },
        after: { name: after.name, timezone: zoneAfter },
      });
    }
    return c.json(siteFromRow(after, zoneAfter), 200);
  });
}
