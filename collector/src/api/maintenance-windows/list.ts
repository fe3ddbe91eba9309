import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findClient } from "../../store/queries/clients.js";
import { listMaintenanceWindows } from "../../store/queries/maintenance.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { MaintenanceWindowListQuery, MaintenanceWindowListSchema, windowView } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["maintenance-windows"],
  summary: "List a client's maintenance windows",
  description: "Every live window of the client and of its sites and hosts, oldest first. A viewer sees only its own client's.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: MaintenanceWindowListQuery },
  responses: {
    200: jsonResponse("The windows", MaintenanceWindowListSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerListMaintenanceWindows(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const { clientId } = c.req.valid("query");
    assertClientVisible(c, clientId, "client");
    if (!(await findClient(store, clientId))) throw ApiError.notFound("client");
    const rows = await listMaintenanceWindows(store, { clientId });
    return c.json({ items: rows.map(windowView) }, 200);
  });
}
