import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { lastReceivedByAgent, listAgents } from "../../store/queries/agents.js";
import { READ_ROLES, visibleClientId } from "../access.js";
import { requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { hostFromRow, HostListQuery, HostListSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["hosts"],
  summary: "List hosts (enrolled agents) with their status",
  description: "A viewer sees only its own client's hosts; `clientId` of another client answers 404.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: HostListQuery },
  responses: {
    200: jsonResponse("Hosts by hostname", HostListSchema),
    ...errorResponses(400, 401, 403, 503),
  },
});

export function registerListHosts(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store, presence } = c.var.deps;
    const query = c.req.valid("query");
    const clientId = visibleClientId(c, query.clientId);
    const filter = { ...(clientId === undefined ? {} : { clientId }), ...(query.siteId === undefined ? {} : { siteId: query.siteId }) };
    const [rows, lastReceived] = await Promise.all([listAgents(store, filter), lastReceivedByAgent(store, filter)]);
    return c.json({ items: rows.map((r) => hostFromRow(r, lastReceived.get(r.id), presence)) }, 200);
  });
}
