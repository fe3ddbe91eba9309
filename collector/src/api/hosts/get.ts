import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findAgent, lastReceivedByAgent } from "../../store/queries/agents.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";
import { hostFromRow, HostSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["hosts"],
  summary: "Get a host",
  middleware: [requireRole("admin")],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: {
    200: jsonResponse("The host", HostSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerGetHost(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store, presence } = c.var.deps;
    const { id } = c.req.valid("param");
    const row = await findAgent(store, id);
    if (!row) throw ApiError.notFound("host");
    const lastReceived = await lastReceivedByAgent(store, { agentId: id });
    return c.json(hostFromRow(row, lastReceived.get(id), presence), 200);
  });
}
