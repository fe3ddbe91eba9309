import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findAgent, lastReceivedByAgent } from "../../store/queries/agents.js";
import { hostProfiles } from "../../store/queries/policies.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";
import { HostDetailSchema, hostFromRow, profileView } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["hosts"],
  summary: "Get a host with its profile",
  description: "A viewer sees only its own client's hosts.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: {
    200: jsonResponse("The host", HostDetailSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerGetHost(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store, presence } = c.var.deps;
    const { id } = c.req.valid("param");
    const row = await findAgent(store, id);
    if (!row) throw ApiError.notFound("host");
    assertClientVisible(c, row.client_id, "host");
    const [lastReceived, profiles] = await Promise.all([lastReceivedByAgent(store, { agentId: id }), hostProfiles(store, { clientId: row.client_id })]);
    const profile = profiles.get(id);
    return c.json({ ...hostFromRow(row, lastReceived.get(id), presence), profile: profile ? profileView(profile) : null }, 200);
  });
}
