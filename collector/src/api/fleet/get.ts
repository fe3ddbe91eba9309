import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { READ_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { FleetSchema } from "./schema.js";
import { loadFleet } from "./snapshot.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["fleet"],
  summary: "Clients → sites → hosts with their status, last seen and open alerts",
  description:
    "Every client the caller may see (a viewer: its own), each with its sites and hosts. A host's status comes from the latest connection event per collector, refined by this collector's live connections; site and client statuses and counts roll their hosts up.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  responses: {
    200: jsonResponse("The fleet", FleetSchema),
    ...errorResponses(401, 403, 503),
  },
});

/** `GET /fleet`. */
export function registerGetFleet(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const principal = principalOf(c);
    const fleet = await loadFleet(c.var.deps, principal.role === "viewer" ? principal.clientId : undefined);
    return c.json(fleet, 200);
  });
}
