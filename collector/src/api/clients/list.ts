import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { listClients } from "../../store/queries/clients.js";
import { READ_ROLES, visibleClientId } from "../access.js";
import { requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { clientFromRow, ClientListSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["clients"],
  summary: "List clients",
  description: "A viewer sees only its own client.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  responses: {
    200: jsonResponse("Every client, oldest first", ClientListSchema),
    ...errorResponses(401, 403, 503),
  },
});

export function registerListClients(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const rows = await listClients(c.var.deps.store, { id: visibleClientId(c, undefined) });
    return c.json({ items: rows.map(clientFromRow) }, 200);
  });
}
