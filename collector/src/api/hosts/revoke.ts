import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findAgent, lastReceivedByAgent, saveAgent } from "../../store/queries/agents.js";
import { OPERATE_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";
import { hostFromRow, HostSchema } from "./schema.js";

const route = createRoute({
  method: "post",
  path: "/{id}/revoke",
  tags: ["hosts"],
  summary: "Revoke a host's agent",
  description:
    "Its agent token stops working and a live connection is closed. Enrolling the machine again with a valid " +
    "enrollment token brings it back. Revoking twice keeps the first revocation time.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: {
    200: jsonResponse("The revoked host", HostSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerRevokeHost(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store, presence, logger } = c.var.deps;
    const { id } = c.req.valid("param");
    let row = await findAgent(store, id);
    if (!row) throw ApiError.notFound("host");
    if (row.revoked_at === null) {
      row = { ...row, revoked_at: Date.now() };
      await saveAgent(store, row);
      logger.info({ agentId: id, clientId: row.client_id }, "agent revoked");
    }
    presence.disconnect(id, "revoked");
    const lastReceived = await lastReceivedByAgent(store, { agentId: id });
    return c.json(hostFromRow(row, lastReceived.get(id), presence), 200);
  });
}
