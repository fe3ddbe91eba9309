import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findClient } from "../../store/queries/clients.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";
import { clientFromRow, ClientSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["clients"],
  summary: "Get a client",
  middleware: [requireRole("admin")],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: {
    200: jsonResponse("The client", ClientSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerGetClient(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const row = await findClient(c.var.deps.store, c.req.valid("param").id);
    if (!row) throw ApiError.notFound("client");
    return c.json(clientFromRow(row), 200);
  });
}
