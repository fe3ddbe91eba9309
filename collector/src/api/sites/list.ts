import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { siteTimezones } from "../../store/queries/policies.js";
import { listSites } from "../../store/queries/sites.js";
import { READ_ROLES, visibleClientId } from "../access.js";
import { requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { siteFromRow, SiteListQuery, SiteListSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["sites"],
  summary: "List sites",
  description: "A viewer sees only its own client's sites; `clientId` of another client answers 404, as an unknown one would for it.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: SiteListQuery },
  responses: {
    200: jsonResponse("Sites, oldest first", SiteListSchema),
    ...errorResponses(400, 401, 403, 503),
  },
});

export function registerListSites(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const query = c.req.valid("query");
    const clientId = visibleClientId(c, query.clientId);
    const filter = clientId === undefined ? {} : { clientId };
    const [rows, zones] = await Promise.all([listSites(store, filter), siteTimezones(store, filter)]);
    return c.json({ items: rows.map((r) => siteFromRow(r, zones.get(r.id) ?? null)) }, 200);
  });
}
