import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { newId } from "../../auth/secrets.js";
import { saveClient } from "../../store/queries/clients.js";
import { ADMIN_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../schema.js";
import { canonicalTimeZone, clientFromRow, ClientSchema, CreateClientSchema } from "./schema.js";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["clients"],
  summary: "Create a client",
  middleware: [requireRole(...ADMIN_ROLES)],
  security: bearerSecurity,
  request: { body: jsonBody(CreateClientSchema) },
  responses: {
    201: jsonResponse("The new client", ClientSchema),
    ...errorResponses(400, 401, 403, 503),
  },
});

export function registerPostClient(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const row = {
      id: newId(),
      name: body.name,
      timezone: canonicalTimeZone(body.timezone ?? "UTC"),
      currency: body.currency ?? "EUR",
      created_at: Date.now(),
    };
    await saveClient(c.var.deps.store, row);
    return c.json(clientFromRow(row), 201);
  });
}
