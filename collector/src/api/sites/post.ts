import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { newId } from "../../auth/secrets.js";
import { findClient } from "../../store/queries/clients.js";
import { saveSite } from "../../store/queries/sites.js";
import { OPERATE_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../schema.js";
import { CreateSiteSchema, siteFromRow, SiteSchema } from "./schema.js";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["sites"],
  summary: "Create a site of a client",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { body: jsonBody(CreateSiteSchema) },
  responses: {
    201: jsonResponse("The new site", SiteSchema),
    ...errorResponses(400, 401, 403, 503),
  },
});

export function registerPostSite(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const body = c.req.valid("json");
    if (!(await findClient(store, body.clientId))) throw ApiError.invalid("clientId", "no such client");
    const row = { id: newId(), client_id: body.clientId, name: body.name, created_at: Date.now() };
    await saveSite(store, row);
    return c.json(siteFromRow(row, null), 201);
  });
}
