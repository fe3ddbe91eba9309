import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { deleteMaintenanceWindow, listMaintenanceWindows } from "../../store/queries/maintenance.js";
import { auditChange, OPERATE_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams } from "../schema.js";
import { windowView } from "./schema.js";

const route = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["maintenance-windows"],
  summary: "Delete a maintenance window",
  description: "Its time counts in the SLA again, in past reports too once they are recomputed. Audited.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: {
    204: { description: "Deleted" },
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerDeleteMaintenanceWindow(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const { id } = c.req.valid("param");
    const [window] = await listMaintenanceWindows(store, { id });
    if (!window) throw ApiError.notFound("maintenance window");
    await deleteMaintenanceWindow(store, window);
    await auditChange(c, { clientId: window.clientId, entity: "maintenance_window", entityId: id, action: "delete", before: windowView(window), after: null });
    return c.body(null, 204);
  });
}
