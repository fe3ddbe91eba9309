import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { siteTimezones } from "../../store/queries/policies.js";
import { findSite } from "../../store/queries/sites.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";
import { siteFromRow, SiteSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["sites"],
  summary: "Get a site",
  description: "A viewer sees only its own client's sites.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: {
    200: jsonResponse("The site", SiteSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerGetSite(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const row = await findSite(store, c.req.valid("param").id);
    if (!row) throw ApiError.notFound("site");
    assertClientVisible(c, row.client_id, "site");
    const zones = await siteTimezones(store, { clientId: row.client_id });
    return c.json(siteFromRow(row, zones.get(row.id) ?? null), 200);
  });
}
