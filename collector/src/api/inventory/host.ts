import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findAgent } from "../../store/queries/agents.js";
import { latestInventory } from "../../store/queries/inventory.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, iso, jsonResponse } from "../schema.js";
import { HostInventorySchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/{id}/inventory",
  tags: ["inventory"],
  summary: "A host's newest inventory",
  description: "Hardware, operating system, software, services and users, as the host's agent last reported them. A viewer sees only its own client's hosts.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: {
    200: jsonResponse("The newest inventory document and when it was collected", HostInventorySchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerHostInventory(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const { id } = c.req.valid("param");
    const agent = await findAgent(store, id);
    if (!agent) throw ApiError.notFound("host");
    assertClientVisible(c, agent.client_id, "host");
    const row = await latestInventory(store, id);
    if (!row) throw new ApiError(404, "not_found", "no inventory received from this host yet");
    return c.json(
      {
        hostId: row.agent_id,
        clientId: row.client_id,
        siteId: row.site_id,
        collectedAt: iso(Number(row.ts)),
        receivedAt: iso(Number(row.received_at)),
        hash: row.hash,
        sizeBytes: Number(row.raw_bytes),
        compressedBytes: Number(row.encoded_bytes),
        parts: Number(row.parts),
        inventory: JSON.parse(row.document) as Record<string, unknown>,
      },
      200,
    );
  });
}
