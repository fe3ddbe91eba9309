import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findClient } from "../../store/queries/clients.js";
import { findClientPolicy } from "../../store/queries/policies.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";
import { effectivePolicy } from "../../evidence/client-policy.js";
import { clientDetail, ClientDetailSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["clients"],
  summary: "Get a client with its availability policy",
  description: "`policy` is what was set; `effective` is what reports use, with `defaults` naming the settings that took a default. A viewer sees only its own client.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: {
    200: jsonResponse("The client", ClientDetailSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerGetClient(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const { id } = c.req.valid("param");
    assertClientVisible(c, id, "client");
    const [row, policy] = await Promise.all([findClient(store, id), findClientPolicy(store, id)]);
    if (!row) throw ApiError.notFound("client");
    return c.json(clientDetail(row, policy, effectivePolicy(row, policy)), 200);
  });
}
