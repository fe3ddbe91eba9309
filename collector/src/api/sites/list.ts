import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { listSites } from "../../store/queries/sites.js";
import { requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { siteFromRow, SiteListQuery, SiteListSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["sites"],
  summary: "List sites",
  middleware: [requireRole("admin")],
  security: bearerSecurity,
  request: { query: SiteListQuery },
  responses: {
    200: jsonResponse("Sites, oldest first", SiteListSchema),
    ...errorResponses(400, 401, 403, 503),
  },
});

export function registerListSites(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const rows = await listSites(c.var.deps.store, c.req.valid("query"));
    return c.json({ items: rows.map(siteFromRow) }, 200);
  });
}
